import { fork, type ChildProcess } from 'node:child_process';
import { builtScript } from '../util/built-script.js';
import type { HostMessage, TrainerMessage } from './protocol.js';

/** After a cancel, how long the trainer gets to stop between steps before it is killed (ms). */
export const CANCEL_GRACE_MS = 1500;

/** A running trainer process. */
export interface TrainerProcess {
  /** Settles when the job ends: with the final message, or `cancelled` when the user stopped it. */
  finished: Promise<Extract<TrainerMessage, { type: 'trained' | 'predicted' }> | { type: 'cancelled' }>;
  /** Asks the trainer to stop; it is killed if it has not stopped within {@link CANCEL_GRACE_MS}. */
  cancel(): void;
}

/** The trainer's entry script (beside this file once built). */
export const TRAINER_ENTRY = builtScript('./entry.js', import.meta.url);

/**
 * Forks the trainer process, sends it one job, and relays its events. Checkpoints are files written atomically,
 * so killing the process at any moment loses at most the epoch in progress.
 */
export function startTrainer(job: HostMessage, onEvent: (message: TrainerMessage) => void, entry = TRAINER_ENTRY): TrainerProcess {
  // 'advanced' serialisation carries typed arrays (masks, probability maps) without JSON inflation.
  // The child's stdout goes to our stderr: libraries print banners there, and our stdout may be a JSON stream.
  const child: ChildProcess = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;

  const finished = new Promise<Awaited<TrainerProcess['finished']>>((resolve, reject) => {
    let outcome: Awaited<TrainerProcess['finished']> | Error | undefined;
    child.on('message', (raw) => {
      const message = raw as TrainerMessage;
      if (message.type === 'trained' || message.type === 'predicted') outcome = message;
      else if (message.type === 'error') outcome = Object.assign(new Error(message.message), { code: message.code });
      else onEvent(message);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(killTimer);
      if (cancelled && !(outcome instanceof Error)) resolve({ type: 'cancelled' });
      else if (outcome instanceof Error) reject(outcome);
      else if (outcome) resolve(outcome);
      else reject(new Error(`the trainer stopped unexpectedly (${signal ?? `exit code ${code}`})${stderr ? `: ${lastLines(stderr)}` : ''}`));
    });
  });
  child.send(job);
  return {
    finished,
    cancel() {
      if (cancelled || child.exitCode !== null) return;
      cancelled = true;
      if (child.connected) child.send({ type: 'cancel' } satisfies HostMessage);
      killTimer = setTimeout(() => child.kill('SIGKILL'), CANCEL_GRACE_MS);
    },
  };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
