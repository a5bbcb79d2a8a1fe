// The click engine: a compute process asked to keep the interactive model loaded and answer clicks (issue #29),
// one request at a time in the order asked (a slice's clicks build on each other's answers).
import { type BackendChoice } from '../ml/backends/backend-choice.js';
import { selectBackend } from '../ml/backends/select-backend.js';
import { ClickRefiner } from '../ml/interactive/click-refiner.js';
import { errorCode } from './error-code.js';
import type { Channel } from './protocol.js';

export function runClicker(channel: Channel, backend: BackendChoice, modelFile: string): void {
  const engine = selectBackend(backend).then((report) => {
    channel.send({ type: 'backend', report });
    return new ClickRefiner(modelFile);
  });
  // A model that cannot load fails each request with the reason (below), not the process.
  let queue: Promise<unknown> = engine
    .then(async (refiner) => {
      await refiner.ready();
      channel.send({ type: 'clicker-ready' });
    })
    .catch(() => undefined);
  channel.onMessage((message) => {
    if (message.type !== 'refine' && message.type !== 'propagate') return;
    const { jobId } = message;
    queue = queue.then(async () => {
      try {
        const refiner = await engine;
        if (message.type === 'refine') {
          channel.send({ type: 'refined', jobId, mask: await refiner.refine(message.request) });
        } else {
          channel.send({ type: 'propagated', jobId, slices: await refiner.propagate(message.patient, message.sliceIndex, message.mask, message.proposals) });
        }
      } catch (error) {
        channel.send({ type: 'error', jobId, code: errorCode(error), message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}
