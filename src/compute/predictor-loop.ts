// The warm predictor's scheduler: the compute process, once asked to be a warm predictor, runs prediction jobs here
// one after another with the model kept loaded, the patient on screen first.
import { selectBackend } from '../ml/backends/select-backend.js';
import type { PredictJob } from '../ml/jobs.js';
import { errorCode } from './error-code.js';
import { Predictor, PredictorYielded } from './predict-job.js';
import type { Channel, HostMessage } from './protocol.js';

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
export function runPredictor(channel: Channel, backend: Extract<HostMessage, { type: 'predictor' }>['backend']): void {
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
