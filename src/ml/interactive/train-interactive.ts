// Fine-tunes the automatic U-Net into the interactive one (issue #29): the same network with click and mask
// channels added at zero weight, trained on simulated clicks. The run's files, checkpoints, budget, schedule and
// resume follow trainUNet (train-loop.ts); what differs is the input, the samples and what validation measures.
import type { tf } from '../tf.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { validateTrainConfig, type ModelShape } from '../config.js';
import { prepareVolume, type PreparedVolume } from '../dataset.js';
import type { JobPatient, TrainingResult, TrainJob } from '../jobs.js';
import { runProgress, scheduledLearningRate } from '../lr-schedule.js';
import { loadModelFile, loadModelWeights, saveModelFile } from '../model-file.js';
import { setLearningRate } from '../optimizer.js';
import { createRandom, createSampler, type SampleCandidate } from '../sampling.js';
import { createThrottle } from '../throttle.js';
import { resumeOptimizer, runClock, runResult, type TrainingHooks } from '../train-loop.js';
import { runFiles } from '../run-files.js';
import { WeightAverage } from '../weight-average.js';
import { foldedCopy, loadFoldedWeights, buildInferenceUNet } from '../unet.js';
import { drawSample, MAX_ROUNDS, playRounds } from './batch.js';
import { expandAutomaticModel, interactiveShape, interactiveStep, predictInteractive } from './model.js';
import { cachedProposals, proposeVolume } from './proposals.js';
import { validationCases, scoreClicks } from './validation.js';

/** Progress reaches the host at most this often (ms); a log line every this many steps. */
const PROGRESS_INTERVAL_MS = 100;
const LOG_EVERY_STEPS = 25;

/** Trains the interactive model from the run's parent (the automatic model); keeps the best epoch by click Dice. */
export async function trainInteractive(job: TrainJob, hooks: TrainingHooks): Promise<TrainingResult> {
  const started = performance.now();
  const config = validateTrainConfig(job.config);
  const shape = interactiveShape(config);
  const files = runFiles(job.runDir);
  await mkdir(job.runDir, { recursive: true });
  if (!job.initModelFile) throw new Error('the interactive model is fine-tuned from an automatic model: none is active');
  const throttle = createThrottle(PROGRESS_INTERVAL_MS);
  const report = (p: Partial<Parameters<TrainingHooks['onProgress']>[0]> & { phase: Parameters<TrainingHooks['onProgress']>[0]['phase'] }, force = false) => {
    if (throttle(force)) {
      hooks.onProgress({
        epoch: 0, epochs: config.epochs, step: 0, steps: 0, loss: null, valDice: null, slicesPerSecond: null, etaSeconds: null,
        elapsedSeconds: (performance.now() - started) / 1000, budgetSeconds: config.minutes > 0 ? config.minutes * 60 : null, validations: [], ...p,
      });
    }
  };
  const withMasks = (split: JobPatient['split']) => job.patients.filter((p) => p.split === split && p.slices.some((s) => s.mask));
  const load = async (patients: JobPatient[]) => {
    const out: PreparedVolume[] = [];
    for (const patient of patients) {
      report({ phase: 'loading', step: out.length, steps: patients.length });
      out.push(await prepareVolume(patient, config.inputSize));
    }
    return out;
  };
  const trainVolumes = await load(withMasks('train'));
  const valVolumes = await load(withMasks('validation'));
  if (trainVolumes.length === 0) throw new Error('no training patients with masks: import annotated patients first');

  // The automatic model's proposals: the prompt of most training samples and the start of every validation case.
  const automatic = await loadModelFile(job.initModelFile);
  let trainProposals: Uint8Array[];
  let valProposals: Uint8Array[];
  try {
    if (automatic.shape.inputChannels !== undefined && automatic.shape.inputChannels !== 3) {
      throw new Error('the parent model is itself interactive: fine-tune from an automatic model');
    }
    if (automatic.shape.features !== config.features || automatic.shape.inputSize !== config.inputSize) {
      throw new Error(`the automatic model is ${automatic.shape.features} features at ${automatic.shape.inputSize}²; this run asks for ` +
        `${config.features} at ${config.inputSize}²`);
    }
    const folded = foldedCopy(automatic.model, automatic.shape);
    try {
      const propose = (v: PreparedVolume) => {
        report({ phase: 'validating' });
        return proposeVolume(folded, v, config.largestComponent);
      };
      trainProposals = await cachedProposals(path.join(job.runDir, 'proposals-train.bin'), trainVolumes, propose);
      valProposals = await cachedProposals(path.join(job.runDir, 'proposals-validation.bin'), valVolumes, propose);
    } finally {
      folded.dispose();
    }
  } catch (error) {
    automatic.model.dispose();
    throw error;
  }

  const resumed = job.resume ? await loadModelFile(files.checkpoint) : null;
  let model: tf.LayersModel;
  try {
    model = resumed?.model ?? (job.warmStartModelFile ? await loadWarmStart(job.warmStartModelFile, shape) : expandAutomaticModel(automatic.model, config));
  } finally {
    automatic.model.dispose();
  }
  const { optimizer, state } = await resumeOptimizer(config, resumed);
  // Starts at the weights training starts from (on --resume, the checkpoint's: the average itself is not kept).
  const average = config.weightAverage !== undefined ? WeightAverage.of(model, config.weightAverage) : null;
  /** Runs `use` with the weights a run validates and keeps: the average when there is one. */
  const kept = <T>(use: () => Promise<T>): Promise<T> => (average ? average.withAveraged(use) : use());

  const candidates: SampleCandidate[] = trainVolumes.flatMap((v, patient) =>
    v.patient.slices.map((_, slice) => ({ patient, slice, lesionArea: v.lesionAreas[slice]!, edited: false })),
  );
  const steps = config.stepsPerEpoch || Math.ceil(candidates.length / config.batchSize);
  const { clockStart, budgetMs, deadline } = runClock(started, state, config.minutes);
  let stoppedBy: TrainingResult['stoppedBy'] = 'epochs';
  let bestEpoch = state.history.find((h) => h.valDice === state.bestValDice)?.epoch ?? 0;
  const size = config.inputSize;
  const inference = buildInferenceUNet(shape);
  const cases = validationCases(valVolumes, valProposals);
  const validate = async (): Promise<number | null> => {
    if (cases.length === 0) return null;
    await kept(async () => loadFoldedWeights(inference, model));
    const scores = await scoreClicks((inputs, count) => predictInteractive(inference, inputs, count, size), cases, size);
    console.log(`[interactive] validation on ${cases.length} lesion slices: Dice ${scores.dice.map((d, k) => `${k} clicks ${d.toFixed(3)}`).join(', ')}; ` +
      `below the proposal after a click: ${scores.belowProposal} slices`);
    return scores.score;
  };
  const predictTraining = (inputs: Float32Array, count: number) => predictInteractive(model, inputs, count, size);

  try {
    if (!resumed) {
      report({ phase: 'validating' }, true);
      state.baselineValDice = await validate();
    }
    for (let epoch = state.epoch + 1; epoch <= config.epochs; epoch++) {
      const random = createRandom(config.seed * 1000 + epoch);
      const sample = createSampler(candidates, random, 0, config.lesionFreeShare);
      let lossSum = 0;
      let step = 0;
      let windowLoss = 0;
      let windowClicks = 0;
      let windowStart = performance.now();
      while (step < steps) {
        if (hooks.isCancelled()) {
          stoppedBy = 'cancel';
          break;
        }
        const progress = runProgress((epoch - 1) * steps + step, config.epochs * steps, performance.now() - clockStart, budgetMs);
        const rate = scheduledLearningRate(config.learningRateSchedule, config.learningRate, progress);
        setLearningRate(optimizer, rate);
        const samples = Array.from({ length: config.batchSize }, () => {
          const pick = sample();
          return drawSample(trainVolumes[pick.patient]!, trainProposals[pick.patient]!, pick.slice, random, config);
        });
        const batch = await playRounds(predictTraining, samples, random, size, config.clickRounds ?? MAX_ROUNDS);
        const loss = interactiveStep(model, optimizer, batch, config);
        average?.update();
        step++;
        if (!Number.isFinite(loss)) throw new Error(`training diverged: loss became ${loss} at epoch ${epoch}, step ${step}. ` +
          'The last good checkpoint was kept; try a lower learning rate.');
        lossSum += loss;
        windowLoss += loss;
        windowClicks += batch.clicks;
        if (step % LOG_EVERY_STEPS === 0) {
          const seconds = (performance.now() - windowStart) / 1000;
          console.log(`[interactive] epoch ${epoch} step ${step}/${steps}: loss ${(windowLoss / LOG_EVERY_STEPS).toFixed(4)}, ` +
            `${(windowClicks / (LOG_EVERY_STEPS * config.batchSize)).toFixed(2)} clicks/sample, ${(seconds / LOG_EVERY_STEPS).toFixed(2)} s/step, lr ${rate.toExponential(2)}`);
          windowLoss = 0;
          windowClicks = 0;
          windowStart = performance.now();
        }
        report({ phase: 'training', epoch, step, steps, loss, valDice: state.bestValDice }, step === steps);
        await new Promise((resolve) => setImmediate(resolve));
        if (performance.now() > deadline) {
          stoppedBy = 'time';
          break;
        }
      }
      if (stoppedBy === 'cancel' || step === 0) break;
      report({ phase: 'validating', epoch, step, steps, loss: lossSum / step }, true);
      const valDice = await validate();
      state.epoch = epoch;
      state.elapsedSeconds = (performance.now() - clockStart) / 1000;
      state.history.push({ epoch, loss: lossSum / step, valDice });
      if (valDice === null || state.bestValDice === null || valDice > state.bestValDice) {
        state.bestValDice = valDice;
        bestEpoch = epoch;
        await kept(() => saveModelFile(files.best, { ...config, ...shape }, model));
      }
      await saveModelFile(files.checkpoint, { ...config, ...shape }, model, { optimizer, state });
      hooks.onEpoch(epoch, lossSum / step, valDice, files.checkpoint);
      if (stoppedBy === 'time') break;
    }
  } finally {
    model.dispose();
    inference.dispose();
    optimizer.dispose();
    average?.dispose();
  }

  return runResult(files, state, { bestEpoch, clockStart, stoppedBy });
}

/** An interactive model to train on (`--continue`): it must take the click channels at this run's size. */
async function loadWarmStart(file: string, shape: ModelShape): Promise<tf.LayersModel> {
  const loaded = await loadModelWeights(file);
  if (loaded.shape.inputChannels !== shape.inputChannels || loaded.shape.features !== shape.features || loaded.shape.inputSize !== shape.inputSize) {
    loaded.model.dispose();
    throw new Error(`the model to continue is ${loaded.shape.features} features at ${loaded.shape.inputSize}² with ` +
      `${loaded.shape.inputChannels ?? 3} input channels; this run needs an interactive model of ${shape.features} at ${shape.inputSize}²`);
  }
  return loaded.model;
}
