// `brainseg eval --clicks`: the click protocol against reference masks, in the compute process. Everything is
// measured at each slice's own resolution, from the automatic model's proposal as the app makes it.
import type { tf } from '../tf.js';
import { decodeMask } from '../../imaging/mask-codec.js';
import type { BackendChoice } from '../backends/backend-choice.js';
import { prepareVolume } from '../dataset.js';
import type { JobPatient } from '../jobs.js';
import { dice, summarize } from '../metrics.js';
import { loadModelFile } from '../model-file.js';
import { binarizeVolume, predictVolume, toNativeVolume } from '../predict.js';
import { foldedCopy } from '../unet.js';
import { INPUT_CHANNELS } from '../config.js';
import { predictInteractive } from './model.js';
import { propagateVolume } from './propagate.js';
import { clicksToReach, simulateClicks, type ClickCase } from './protocol.js';

/** NoC is counted up to this many clicks (a case that never gets there counts this many), as in RITM. */
export const NOC_CAP = 20;

/** An evaluation of the interactive model, sent whole by the host. */
export interface InteractiveEvalJob {
  backend: BackendChoice;
  automaticModelFile: string;
  interactiveModelFile: string;
  /** Patients with their reference masks (the truth). */
  patients: JobPatient[];
  /** Click counts to report, e.g. [1, 3, 5]. */
  clicks: number[];
  propagate: boolean;
  largestComponent: boolean;
  testTimeFlip: boolean;
}

/** Scores after k clicks on every lesion slice (the other slices keep the proposal). */
export interface ClickScores {
  /** Mean per-slice Dice over the lesion slices. */
  lesionSliceDice: number;
  /** Mean per-volume Dice over the patients. */
  volumeDice: number;
  /** Lesion slices whose Dice after this many clicks is below the automatic proposal's. */
  slicesBelowAutomatic: number;
}

/** What `brainseg eval --clicks` adds to the report (names fixed: scripts read them). */
export interface InteractiveEvaluation {
  lesionSlices: number;
  /** The 0-click proposal: the automatic model's masks, as the app predicts them. */
  automatic: { lesionSliceDice: number; volumeDice: number };
  clicks: Record<string, ClickScores>;
  /** Mean clicks to Dice ≥ 0.85 / 0.90 over the lesion slices (0 when the proposal already is; capped at 20). */
  noc85: number;
  noc90: number;
  propagated: { volumeDice: number } | null;
  /** Per patient: per-volume Dice of the proposal, after k clicks on each lesion slice, and with propagation. */
  clickPatients: { id: string; automaticDice: number; clicks: Record<string, number>; propagatedDice: number | null }[];
}

async function loadFolded(file: string): Promise<{ model: tf.LayersModel; inputSize: number; inputChannels: number }> {
  const loaded = await loadModelFile(file);
  try {
    return { model: foldedCopy(loaded.model, loaded.shape), inputSize: loaded.shape.inputSize, inputChannels: loaded.shape.inputChannels ?? INPUT_CHANNELS };
  } finally {
    loaded.model.dispose();
  }
}

/** Runs the click protocol (and propagation) on every patient of the job; `onPatient` follows progress. */
export async function evaluateInteractive(job: InteractiveEvalJob, onPatient: (done: number, total: number) => void = () => undefined): Promise<InteractiveEvaluation> {
  const automatic = await loadFolded(job.automaticModelFile);
  const interactive = await loadFolded(job.interactiveModelFile).catch((error: unknown) => {
    automatic.model.dispose();
    throw error;
  });
  try {
    if (automatic.inputChannels !== INPUT_CHANNELS) throw new Error('the automatic model given is an interactive one');
    if (interactive.inputChannels === INPUT_CHANNELS) throw new Error('the interactive model given is an automatic one');
    const size = interactive.inputSize;
    const predict = (inputs: Float32Array, count: number) => predictInteractive(interactive.model, inputs, count, size);
    const ks = [...new Set(job.clicks)].sort((a, b) => a - b);
    const rounds = Math.max(NOC_CAP, ...ks);
    const sliceDice = new Map<number, number[]>(ks.map((k) => [k, []]));
    const below = new Map<number, number>(ks.map((k) => [k, 0]));
    const autoSliceDice: number[] = [];
    const noc85: number[] = [];
    const noc90: number[] = [];
    const patients: InteractiveEvaluation['clickPatients'] = [];
    for (const [index, patient] of job.patients.entries()) {
      onPatient(index, job.patients.length);
      const { width, height } = patient.slices[0]!;
      if (patient.slices.some((s) => s.width !== width || s.height !== height)) throw new Error(`patient ${patient.caseId} mixes slice sizes`);
      const truths = patient.slices.map((s) => (s.mask ? decodeMask(s.mask).data : new Uint8Array(width * height)));
      const volume = await prepareVolume(patient, automatic.inputSize);
      const probabilities = await predictVolume(automatic.model, volume, null, { testTimeFlip: job.testTimeFlip });
      const stacked = binarizeVolume(toNativeVolume(probabilities, volume.size, patient.slices), width, height, job.largestComponent);
      const plane = width * height;
      const proposals = truths.map((_, i) => stacked.subarray(i * plane, (i + 1) * plane));
      const inputPlane = size * size * INPUT_CHANNELS;
      const images = truths.map((_, i) => volume.images.subarray(i * inputPlane, (i + 1) * inputPlane));
      const lesion = truths.flatMap((t, i) => (t.some((v) => v !== 0) ? [i] : []));
      const cases: ClickCase[] = lesion.map((i) => ({ image: images[i]!, width, height, truth: truths[i]!, proposal: proposals[i]! }));
      const traces = await simulateClicks(predict, cases, size, rounds, {
        done: (t) => t.dice.length - 1 >= ks[ks.length - 1]! && t.dice[t.dice.length - 1]! >= 0.9,
        keep: ks,
      });
      const stack = (masks: readonly Uint8Array[]) => {
        const out = new Uint8Array(masks.length * plane);
        masks.forEach((m, i) => out.set(m, i * plane));
        return out;
      };
      const truthVolume = stack(truths);
      const clickVolumes: Record<string, number> = {};
      traces.forEach((t) => {
        autoSliceDice.push(t.dice[0]!);
        noc85.push(clicksToReach(t, 0.85, NOC_CAP));
        noc90.push(clicksToReach(t, 0.9, NOC_CAP));
      });
      for (const k of ks) {
        const masks = [...proposals];
        traces.forEach((t, j) => {
          const d = t.dice[k]!;
          sliceDice.get(k)!.push(d);
          if (d < t.dice[0]! - 1e-9) below.set(k, below.get(k)! + 1);
          masks[lesion[j]!] = t.kept.get(k)!;
        });
        clickVolumes[String(k)] = dice(stack(masks), truthVolume);
      }
      let propagatedDice: number | null = null;
      if (job.propagate) {
        const masks = await propagateVolume(predict, { images, truths, proposals, width, height }, size);
        propagatedDice = masks ? dice(stack(masks), truthVolume) : null;
      }
      patients.push({ id: patient.caseId, automaticDice: dice(stacked, truthVolume), clicks: clickVolumes, propagatedDice });
    }
    onPatient(job.patients.length, job.patients.length);
    const mean = (xs: readonly number[]) => (xs.length ? summarize(xs).mean : Number.NaN);
    const clicks: Record<string, ClickScores> = {};
    for (const k of ks) {
      clicks[String(k)] = {
        lesionSliceDice: mean(sliceDice.get(k)!),
        volumeDice: mean(patients.map((p) => p.clicks[String(k)]!)),
        slicesBelowAutomatic: below.get(k)!,
      };
    }
    const propagated = patients.flatMap((p) => (p.propagatedDice === null ? [] : [p.propagatedDice]));
    return {
      lesionSlices: autoSliceDice.length,
      automatic: { lesionSliceDice: mean(autoSliceDice), volumeDice: mean(patients.map((p) => p.automaticDice)) },
      clicks,
      noc85: mean(noc85),
      noc90: mean(noc90),
      propagated: job.propagate ? { volumeDice: mean(propagated) } : null,
      clickPatients: patients,
    };
  } finally {
    automatic.model.dispose();
    interactive.model.dispose();
  }
}
