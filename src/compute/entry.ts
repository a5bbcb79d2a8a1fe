// The compute process: a forked child under plain Node, an Electron utilityProcess in the app. It loads a
// TensorFlow.js backend, runs one job the host sends, reports typed events, and exits — or, asked to be a warm
// predictor, runs prediction jobs one after another with the model kept loaded (predictor-loop.ts). It never opens
// the catalog: the host stays the catalog's only writer.
import { selectBackend } from '../ml/backends/select-backend.js';
import { trainUNet } from '../ml/train-loop.js';
import { trainInteractive } from '../ml/interactive/train-interactive.js';
import { evaluateInteractive } from '../ml/interactive/evaluate.js';
import { errorCode } from './error-code.js';
import { predictJob } from './predict-job.js';
import { runClicker } from './clicker-loop.js';
import { runPredictor } from './predictor-loop.js';
import type { Channel, HostMessage } from './protocol.js';

export function runComputeProcess(channel: Channel): void {
  let cancelled = false;
  let busy = false;
  let predictorMode = false;
  channel.onMessage((message) => {
    if (predictorMode) return;
    if (message.type === 'cancel') {
      cancelled = true;
      return;
    }
    if (message.type === 'predictor') {
      predictorMode = true;
      runPredictor(channel, message.backend);
      return;
    }
    if (message.type === 'clicker') {
      predictorMode = true;
      runClicker(channel, message.backend, message.modelFile);
      return;
    }
    if (message.type === 'promote') return; // a one-off job has nothing to promote
    if (message.type === 'refine' || message.type === 'propagate') {
      channel.send({ type: 'error', jobId: message.jobId, code: 'bad-input', message: 'this compute process is not a click engine' });
      return;
    }
    if (busy) {
      channel.send({ type: 'error', code: 'bad-input', message: 'the compute process is already running a job' });
      return;
    }
    busy = true;
    void (async () => {
      try {
        const report = await selectBackend(message.job.backend);
        channel.send({ type: 'backend', report });
        if (message.type === 'train') {
          const train = message.job.config.kind === 'interactive' ? trainInteractive : trainUNet;
          const result = await train(message.job, {
            onProgress: (progress) => channel.send({ type: 'progress', progress }),
            onEpoch: (epoch, loss, valDice, checkpoint) => channel.send({ type: 'epoch', epoch, loss, valDice, checkpoint }),
            isCancelled: () => cancelled,
            onNotice: (notice) => channel.send({ type: 'notice', message: notice }),
          });
          channel.send({ type: 'trained', result });
        } else if (message.type === 'evaluate-clicks') {
          channel.send({ type: 'clicks-evaluated', evaluation: await evaluateInteractive(message.job) });
        } else {
          const summary = await predictJob(message.job, (prediction) => channel.send({ type: 'prediction', ...prediction }), () => cancelled);
          channel.send({ type: 'predicted', ...summary });
        }
      } catch (error) {
        channel.send({ type: 'error', code: errorCode(error), message: error instanceof Error ? error.message : String(error) });
      } finally {
        channel.close();
      }
    })();
  });
}

/** The forked-child channel (process.send with advanced serialisation, so typed arrays cross intact). */
function nodeChannel(): Channel {
  let inFlight = 0;
  let closing = false;
  const disconnectWhenDrained = () => {
    // Disconnecting with messages still queued would drop them (the final result among them).
    if (closing && inFlight === 0) process.disconnect?.();
  };
  return {
    send: (message) => {
      inFlight++;
      process.send?.(message, undefined, undefined, () => {
        inFlight--;
        disconnectWhenDrained();
      });
    },
    onMessage: (listener) => process.on('message', (m) => listener(m as HostMessage)),
    close: () => {
      closing = true;
      disconnectWhenDrained();
    },
  };
}

/**
 * Electron's utilityProcess channel. `process.parentPort` exists only there; the core does not import Electron,
 * so it is described here by the little it uses.
 */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function parentPortChannel(port: ParentPort): Channel {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', (event) => listener(event.data as HostMessage)),
    // postMessage is synchronous into the port's queue; let it flush before the process ends.
    close: () => void setTimeout(() => process.exit(0), 500),
  };
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort) {
  runComputeProcess(parentPortChannel(parentPort));
} else if (process.send) {
  // Named in `ps` and `top` for what it is (the app's utilityProcess carries its serviceName instead).
  process.title = 'brainseg-compute';
  // Ctrl+C in a terminal reaches the whole process group; the host turns it into a clean cancel message.
  process.on('SIGINT', () => undefined);
  // If the host dies (killed, crashed), nobody is left to register the result: stop. Checkpoints are atomic.
  process.on('disconnect', () => process.exit(0));
  runComputeProcess(nodeChannel());
}
