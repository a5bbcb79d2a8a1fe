import { utilityProcess } from 'electron';
import type { ComputeChild } from '../src/compute/host.js';
import type { ComputeMessage } from '../src/compute/protocol.js';

/**
 * Runs the compute process in an Electron utilityProcess: a Node process the app owns (a packaged app has no `node`
 * to fork). Messages are structured clones, so masks and probability maps cross as typed arrays.
 */
export function utilityProcessCompute(entry: string): ComputeChild {
  const child = utilityProcess.fork(entry, [], { serviceName: 'BrainSeg compute', stdio: 'pipe' });
  let running = true;
  let stderrListener: (chunk: string) => void = () => undefined;
  child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderrListener(chunk.toString()));
  const queued: unknown[] = [];
  let spawned = false;
  child.once('spawn', () => {
    spawned = true;
    for (const message of queued.splice(0)) child.postMessage(message);
  });
  return {
    send: (message) => {
      if (!running) return;
      if (spawned) child.postMessage(message);
      else queued.push(message);
    },
    onMessage: (listener) => child.on('message', (message: ComputeMessage) => listener(message)),
    onExit: (listener) => child.once('exit', (code) => {
      running = false;
      listener(code, null);
    }),
    onError: (listener) => child.on('error', (type, location) => listener(new Error(`the compute process failed: ${type} at ${location}`))),
    onStderr: (listener) => (stderrListener = listener),
    get running() {
      return running;
    },
    kill: () => void child.kill(),
  };
}
