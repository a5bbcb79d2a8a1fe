// How the host reads a compute process's end: a cancel that races a run's finish keeps the finished result.
import { describe, expect, it } from 'vitest';
import { startComputeJob, type ComputeChild } from '../../src/compute/host.js';
import type { HostMessage, ComputeMessage } from '../../src/compute/protocol.js';

/** A compute process stand-in that sends `final` when asked to, then exits. */
function fakeChild(): { child: ComputeChild; finish(final: ComputeMessage | null): void; sent: HostMessage[] } {
  let onMessage: (m: ComputeMessage) => void = () => undefined;
  let onExit: (code: number | null, signal: string | null) => void = () => undefined;
  let running = true;
  const sent: HostMessage[] = [];
  const child: ComputeChild = {
    send: (m) => sent.push(m),
    onMessage: (l) => (onMessage = l),
    onExit: (l) => (onExit = l),
    onError: () => undefined,
    onStderr: () => undefined,
    get running() {
      return running;
    },
    kill: () => undefined,
  };
  return {
    child, sent,
    finish(final) {
      if (final) onMessage(final);
      running = false;
      onExit(0, null);
    },
  };
}

const TRAINED = {
  type: 'trained', result: { modelFile: '/x/best.bsm', valDice: 0.7, baselineValDice: null, bestEpoch: 3, epochsRun: 3, history: [], seconds: 60, stoppedBy: 'epochs' },
} as unknown as ComputeMessage;

describe('the compute host', () => {
  it('keeps a run that finished as the cancel arrived', async () => {
    const fake = fakeChild();
    const run = startComputeJob({ type: 'cancel' } as HostMessage, () => undefined, 'entry', () => fake.child);
    run.cancel();
    fake.finish(TRAINED);
    await expect(run.finished).resolves.toMatchObject({ type: 'trained' });
  });

  it('reports a cancel that stopped the run before it produced anything', async () => {
    const fake = fakeChild();
    const run = startComputeJob({ type: 'cancel' } as HostMessage, () => undefined, 'entry', () => fake.child);
    run.cancel();
    fake.finish(null);
    await expect(run.finished).resolves.toEqual({ type: 'cancelled' });
  });
});
