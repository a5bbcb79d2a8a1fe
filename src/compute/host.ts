import { fork, type ChildProcess } from 'node:child_process';
import { builtScript } from '../util/built-script.js';
import type { HostMessage, ComputeMessage } from './protocol.js';

/** After a cancel, how long the compute process gets to stop between steps before it is killed (ms). */
export const CANCEL_GRACE_MS = 1500;

/** A running compute process. */
export interface RunningComputeJob {
  /** Settles when the job ends: with the final message, or `cancelled` when the user stopped it. */
  finished: Promise<Extract<ComputeMessage, { type: 'trained' | 'predicted' | 'clicks-evaluated' }> | { type: 'cancelled' }>;
  /** Asks the compute process to stop; it is killed if it has not stopped within {@link CANCEL_GRACE_MS}. */
  cancel(): void;
}

/** The compute process's entry script (beside this file once built). */
export const COMPUTE_ENTRY = builtScript('./entry.js', import.meta.url);

/**
 * A started compute process as the host sees it. Node's `fork` gives one under the CLI and `brainseg serve`;
 * the Electron shell installs a launcher backed by `utilityProcess` (electron/compute-launcher.ts), because a
 * packaged app has no separate Node binary to fork.
 */
export interface ComputeChild {
  send(message: HostMessage): void;
  onMessage(listener: (message: ComputeMessage) => void): void;
  /** Called once when the process ends; `signal` is null when it exited by itself. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onError(listener: (error: Error) => void): void;
  /** The process's stderr, a chunk at a time (for the last lines of a crash report). */
  onStderr(listener: (chunk: string) => void): void;
  readonly running: boolean;
  kill(): void;
}

export type ComputeLauncher = (entry: string) => ComputeChild;

/** The default launcher: a forked Node child with an IPC channel. */
export function forkComputeProcess(entry: string): ComputeChild {
  // 'advanced' serialisation carries typed arrays (masks, probability maps) without JSON inflation.
  // The child's stdout goes to our stderr: libraries print banners there, and our stdout may be a JSON stream.
  const child: ChildProcess = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (raw) => listener(raw as ComputeMessage)),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    onError: (listener) => child.on('error', listener),
    onStderr: (listener) => child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString())),
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

let launcher: ComputeLauncher = forkComputeProcess;

/** Replaces how compute processes start (the Electron shell calls this once at start-up). */
export function setComputeLauncher(next: ComputeLauncher): void {
  launcher = next;
}

/** How compute processes start now. */
export function currentComputeLauncher(): ComputeLauncher {
  return launcher;
}

/**
 * Forks the compute process, sends it one job, and relays its events. Checkpoints are files written atomically,
 * so killing the process at any moment loses at most the epoch in progress.
 */
export function startComputeJob(job: HostMessage, onEvent: (message: ComputeMessage) => void, entry = COMPUTE_ENTRY, launch: ComputeLauncher = launcher): RunningComputeJob {
  const child = launch(entry);
  let stderr = '';
  child.onStderr((chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;

  const finished = new Promise<Awaited<RunningComputeJob['finished']>>((resolve, reject) => {
    let outcome: Awaited<RunningComputeJob['finished']> | Error | undefined;
    child.onMessage((message) => {
      if (message.type === 'trained' || message.type === 'predicted' || message.type === 'clicks-evaluated') outcome = message;
      else if (message.type === 'error') outcome = Object.assign(new Error(message.message), { code: message.code });
      else onEvent(message);
    });
    child.onError(reject);
    child.onExit((code, signal) => {
      clearTimeout(killTimer);
      if (outcome instanceof Error) reject(outcome);
      // Finished work is kept even when a cancel arrived as it ended: the run's own result says whether it
      // stopped for the cancel (stoppedBy) or had already completed.
      else if (outcome) resolve(outcome);
      else if (cancelled) resolve({ type: 'cancelled' });
      else reject(new Error(`the compute process stopped unexpectedly (${signal ?? `exit code ${code}`})${stderr ? `: ${lastLines(stderr)}` : ''}`));
    });
  });
  child.send(job);
  return {
    finished,
    cancel() {
      if (cancelled || !child.running) return;
      cancelled = true;
      child.send({ type: 'cancel' } satisfies HostMessage);
      killTimer = setTimeout(() => child.kill(), CANCEL_GRACE_MS);
    },
  };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
