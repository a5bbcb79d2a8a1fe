import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './sample-data.js';
import { tempDir } from './temp.js';

/** A running `brainseg worker` and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Kills it and its compute process with SIGKILL, as one process group (a machine going down). */
  kill(): Promise<void>;
}

/**
 * Starts `brainseg worker` on a team catalog, with a data folder of its own, in its own process group; resolves once
 * it says it is ready.
 */
export function startWorker(url: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/brainseg'), '--home', tempDir.persistent(), '--database', url, 'worker', '--backend', 'wasm'], {
    stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    env: { ...process.env, BRAINSEG_BUNDLED_MODEL: 'none' },
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const kill = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGKILL');
  });
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      if (!output.includes('Worker ready')) return;
      clearInterval(check);
      resolve({ child, output: () => output, kill });
    }, 100);
    child.once('exit', (code) => {
      clearInterval(check);
      reject(new Error(`brainseg worker exited (${code}): ${output}`));
    });
  });
}
