// The trainer process: a forked child under plain Node, an Electron utilityProcess in the app. It loads a
// TensorFlow.js backend, runs one job the host sends, reports typed events, and exits — or, asked to be a warm
// predictor, runs prediction jobs one after another with the model kept loaded. It never opens the catalog: the
// host stays the catalog's only writer.
import { selectBackend } from '../ml/backends/select-backend.js';
import { ConfigError } from '../ml/config.js';
import { SliceImageError } from '../ml/dataset.js';
import { NonFiniteLossError, trainUNet } from '../ml/train-loop.js';
import type { PredictJob } from '../ml/jobs.js';
import { predictJob, Predictor, PredictorYielded } from './predict-job.js';
import type { HostMessage, TrainerMessage } from './protocol.js';

/** How this process talks to its host: Node's IPC channel, or Electron's parentPort. */
export interface Channel {
  send(message: TrainerMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
  close(): void;
}

function errorCode(error: unknown): 'non-finite-loss' | 'bad-input' | 'internal' {
  return error instanceof NonFiniteLossError ? 'non-finite-loss'
    : error instanceof ConfigError || error instanceof SliceImageError ? 'bad-input' : 'internal';
}

/** A prediction job waiting in the warm predictor, with what it already sent if it gave way once. */
interface QueuedPrediction {
  jobId: number | undefined;
  job: PredictJob;
  slicesSent: number;
  secondsSpent: number;
}

/**
 * The warm predictor: prediction jobs one at a time, each answered with its id, the model kept loaded between
 * them. The urgent job (the patient opened last) goes first, and any other job under way gives way to it between
 * two steps of its volume — it resumes, from the patient it was on, once the urgent one is done. A failed
 * job is reported and the next one runs; the process lives until the host closes it.
 */
function runPredictor(channel: Channel, backend: Extract<HostMessage, { type: 'predictor' }>['backend']): void {
  const predictor = new Predictor();
  const waiting: QueuedPrediction[] = [];
  let current: QueuedPrediction | null = null;
  let cancelled = false;
  let ready = false;
  let backendError: string | null = null;
  const urgentWaiting = () => waiting.some((q) => q.job.urgent);
  // The patient opened last is the one on screen: its job is the only urgent one (an earlier one under way gives
  // way to it at its next step, and finishes after it).
  const makeUrgent = (queued: QueuedPrediction) => {
    for (const other of [...waiting, ...(current ? [current] : [])]) other.job.urgent = other === queued;
  };

  const next = (): QueuedPrediction | undefined => {
    const urgent = waiting.findIndex((q) => q.job.urgent);
    return waiting.splice(urgent >= 0 ? urgent : 0, 1)[0];
  };
  const pump = async () => {
    if (!ready || current) return;
    const queued = next();
    if (!queued) return;
    current = queued;
    cancelled = false;
    const { jobId, job } = queued;
    const started = performance.now();
    const spent = () => queued.secondsSpent + (performance.now() - started) / 1000;
    try {
      if (backendError) throw new Error(backendError);
      const summary = await predictor.run(job, (prediction) => channel.send({ type: 'prediction', jobId, ...prediction }), () => cancelled, {
        onPreview: (prediction) => channel.send({ type: 'preview', jobId, ...prediction }),
        shouldYield: () => !job.urgent && urgentWaiting(),
      });
      channel.send({ type: 'predicted', jobId, slices: queued.slicesSent + summary.slices, seconds: spent() });
    } catch (error) {
      if (error instanceof PredictorYielded) {
        // Back at the head of the background jobs, without the patients it sent.
        waiting.unshift({
          jobId, job: { ...job, patients: job.patients.slice(error.patientIndex) }, slicesSent: queued.slicesSent + error.slices, secondsSpent: spent(),
        });
      } else {
        channel.send({ type: 'error', jobId, code: errorCode(error), message: error instanceof Error ? error.message : String(error) });
      }
    } finally {
      current = null;
    }
    await pump();
  };

  void selectBackend(backend).then(
    (report) => {
      channel.send({ type: 'backend', report });
      ready = true;
      return pump();
    },
    (error: Error) => {
      backendError = `no TensorFlow.js backend could start: ${error.message}`;
      ready = true;
      return pump();
    },
  );
  channel.onMessage((message) => {
    if (message.type === 'cancel') {
      cancelled = true;
      return;
    }
    if (message.type === 'promote') {
      // Waiting: it goes ahead. Under way: it no longer gives way. Either way it previews the slice on screen at its
      // next step (from what it has computed, if that slice is done), unless it was asked for another preview.
      const queued = waiting.find((q) => q.jobId === message.jobId) ?? (current?.jobId === message.jobId ? current : undefined);
      if (queued) {
        makeUrgent(queued);
        queued.job.previewSliceId ??= message.previewSliceId;
      }
      return;
    }
    if (message.type !== 'predict') {
      channel.send({ type: 'error', code: 'bad-input', message: `a predictor runs prediction jobs, not ${message.type}` });
      return;
    }
    const queued = { jobId: message.jobId, job: message.job, slicesSent: 0, secondsSpent: 0 };
    waiting.push(queued);
    if (message.job.urgent) makeUrgent(queued);
    void pump();
  });
}

export function runTrainer(channel: Channel): void {
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
    if (message.type === 'promote') return; // a one-off job has nothing to promote
    if (busy) {
      channel.send({ type: 'error', code: 'bad-input', message: 'the trainer is already running a job' });
      return;
    }
    busy = true;
    void (async () => {
      try {
        const report = await selectBackend(message.job.backend);
        channel.send({ type: 'backend', report });
        if (message.type === 'train') {
          const result = await trainUNet(message.job, {
            onProgress: (progress) => channel.send({ type: 'progress', progress }),
            onEpoch: (epoch, loss, valDice, checkpoint) => channel.send({ type: 'epoch', epoch, loss, valDice, checkpoint }),
            isCancelled: () => cancelled,
          });
          channel.send({ type: 'trained', result });
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
  runTrainer(parentPortChannel(parentPort));
} else if (process.send) {
  // Ctrl+C in a terminal reaches the whole process group; the host turns it into a clean cancel message.
  process.on('SIGINT', () => undefined);
  // If the host dies (killed, crashed), nobody is left to register the result: stop. Checkpoints are atomic.
  process.on('disconnect', () => process.exit(0));
  runTrainer(nodeChannel());
}
