// The warm predictor: one compute process that runs prediction jobs one after another with the model kept loaded
// (what opening a patient in the UI waits for), gives the same probabilities as the one-off job, lets a job someone
// waits for overtake a background one (with a preview of the slice on screen first), and survives the death of its
// process.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir, readBundledCard } from '../../src/bundled/bundled-model.js';
import { openCatalog } from '../../src/catalog/db.js';
import { listPatients } from '../../src/catalog/patients.js';
import { ensureHome, resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import type { PredictJob } from '../../src/ml/jobs.js';
import { buildJobPatients } from '../../src/services/job-builder.js';
import { startComputeJob } from '../../src/compute/host.js';
import type { SlicePrediction } from '../../src/compute/predict-job.js';
import { WarmPredictor } from '../../src/compute/warm-predictor.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

/** A prediction job for a whole sample patient (24 slices), with the shipped model. */
async function patientJob(): Promise<PredictJob> {
  const db = await openCatalog(ensureHome(resolveHome(tempDir())).catalog);
  await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'));
  const [patient] = await buildJobPatients(db, { patients: await listPatients(db) });
  await db.destroy();
  const dir = bundledModelDir({ BRAINSEG_BUNDLED_MODEL: '' })!;
  return {
    backend: 'wasm', modelFile: path.join(dir, readBundledCard(dir).weightsFile), largestComponent: true, testTimeFlip: true,
    patients: [{ ...patient!, slices: patient!.slices.map((s) => ({ ...s, mask: null })) }],
  };
}

/** The job for the first `count` of its patient's slices (it reads the images, not the catalog). */
function firstSlices(job: PredictJob, count: number): PredictJob {
  const patient = job.patients[0]!;
  return { ...job, patients: [{ ...patient, slices: patient.slices.slice(0, count) }] };
}

/** Every slice of a run equals the reference run's, in order, byte for byte. */
function expectSameSlices(run: SlicePrediction[], reference: SlicePrediction[]): void {
  expect(run.map((p) => p.sliceId)).toEqual(reference.map((p) => p.sliceId));
  run.forEach((p, i) => expect(Buffer.from(p.probabilities).equals(Buffer.from(reference[i]!.probabilities)), `slice ${p.sliceId}`).toBe(true));
}

/**
 * A preview is the slice's own prediction before the volume's largest-lesion step: the stored map equals it (to
 * rounding) wherever that step kept a pixel, and is zero elsewhere.
 */
function expectPreviewOf(stored: Uint8Array, preview: Uint8Array, lesion = true): void {
  expect(preview.length).toBe(stored.length);
  if (lesion) expect(stored.some((v) => v > 128)).toBe(true); // a lesion slice: the comparison below is not all zeros
  expect(stored.filter((v, i) => v !== 0 && Math.abs(v - preview[i]!) > 1).length).toBe(0);
}

describe('the warm predictor', () => {
  let predictor: WarmPredictor | null = null;
  afterEach(() => {
    predictor?.close();
    predictor = null;
  });

  // The whole patient, imported once, and its slices predicted once by a warm predictor, to compare every run with
  // (three tests compare with it; it is the same each time: that is what the first test checks of repeated runs).
  // That predictor, its model loaded, then serves those three tests: what they check is how it schedules jobs, and
  // a process and model started per test would only repeat what the first test checks of a fresh one.
  let patient: PredictJob;
  let reference: SlicePrediction[];
  let shared: WarmPredictor;
  beforeAll(async () => {
    // Without test-time flipping, which halves the compute of the eight whole-volume runs below: what they check is
    // the scheduling. That the warm predictor flips as the one-off job does is the first test's check.
    patient = { ...(await patientJob()), testTimeFlip: false };
    shared = new WarmPredictor('wasm');
    reference = [];
    await shared.predict(patient, (p) => reference.push(p));
  }, 240_000);
  afterAll(() => shared?.close());
  const sampleJob = (count: number) => firstSlices(patient, count);

  /** The warm predictor (its process up and the model loaded) for the whole patient, and its reference. */
  function predictorWithReference(): { job: PredictJob; predictor: WarmPredictor; reference: SlicePrediction[] } {
    return { job: patient, predictor: shared, reference };
  }

  it('runs jobs one after another in one process, with the probabilities of the one-off job', async () => {
    const job = { ...sampleJob(6), testTimeFlip: true };
    const oneOff: SlicePrediction[] = [];
    const oneOffJob = startComputeJob({ type: 'predict', job }, (m) => m.type === 'prediction' && oneOff.push(m));
    await oneOffJob.finished;

    predictor = new WarmPredictor('wasm');
    const loaded: string[] = [];
    predictor.onBackend = (report) => loaded.push(`${report.name}: ${report.device}`);
    predictor.warm(job.modelFile);
    const first: SlicePrediction[] = [];
    const second: SlicePrediction[] = [];
    // Asked together: answered in order, each with its own slices.
    const [a, b] = await Promise.all([predictor.predict(job, (p) => first.push(p)), predictor.predict(job, (p) => second.push(p))]);
    expect(a.slices).toBe(6);
    expect(b.slices).toBe(6);
    expect(predictor.running).toBe(true);
    // The models panel's "Predicts on" comes from this report, once per process.
    expect(loaded).toEqual([expect.stringMatching(/^wasm: \d+ CPU threads? \(WASM/)]);
    for (const run of [first, second]) expectSameSlices(run, oneOff);
  }, 240_000);

  it('runs an urgent job ahead of a background one under way, which resumes intact; the urgent one previews its shown slice first, then its neighbours', async () => {
    const { job, predictor, reference } = predictorWithReference();
    const shown = job.patients[0]!.slices[12]!.sliceId;
    const order: string[] = [];
    const background: SlicePrediction[] = [];
    const urgent: SlicePrediction[] = [];
    const previews: SlicePrediction[] = [];
    await Promise.all([
      predictor.predict(job, (p) => background.push(p)).then(() => order.push('background')),
      predictor.predict({ ...job, urgent: true, previewSliceId: shown }, (p) => urgent.push(p), {
        onPreview: (p) => {
          previews.push(p);
          order.push(`preview after ${urgent.length} slices`);
        },
      }).then(() => order.push('urgent')),
    ]);
    // The shown slice, then its neighbours (where a reader steps next), all before the volume's slices.
    expect(order).toEqual(['preview after 0 slices', 'preview after 0 slices', 'preview after 0 slices', 'urgent', 'background']);
    for (const run of [background, urgent]) expectSameSlices(run, reference);
    const slices = job.patients[0]!.slices;
    expect(previews.map((p) => p.sliceId)).toEqual([shown, slices[11]!.sliceId, slices[13]!.sliceId]);
    // The shown slice has a lesion (the comparison is not all zeros); a neighbour need not.
    previews.forEach((preview, i) => expectPreviewOf(urgent.find((p) => p.sliceId === preview.sliceId)!.probabilities, preview.probabilities, i === 0));
  }, 240_000);

  it('promotes a background job someone opened while it runs: it previews the shown slice from there', async () => {
    const { job, predictor, reference } = predictorWithReference();
    const shown = job.patients[0]!.slices[14]!.sliceId;
    const slices: SlicePrediction[] = [];
    const previews: SlicePrediction[] = [];
    await predictor.predict(job, (p) => slices.push(p), {
      onPreview: (p) => previews.push({ ...p, sliceId: slices.length === 0 ? p.sliceId : -1 }),
      onQueued: (jobId) => predictor.promote(jobId, shown),
    });
    // Once each, the shown slice then its neighbours, before the volume's slices.
    const patientSlices = job.patients[0]!.slices;
    expect(previews.map((p) => p.sliceId)).toEqual([shown, patientSlices[13]!.sliceId, patientSlices[15]!.sliceId]);
    previews.forEach((preview, i) => expectPreviewOf(reference.find((p) => p.sliceId === preview.sliceId)!.probabilities, preview.probabilities, i === 0));
    expectSameSlices(slices, reference);
  }, 240_000);

  it('a job that previewed and then gave way does not preview again when it resumes', async () => {
    const { job, predictor, reference } = predictorWithReference();
    const shown = job.patients[0]!.slices[10]!.sliceId;
    // The urgent job is asked for when the preview reaches this process, and must reach the predictor while the
    // background job is still under way: a volume of 24 slices can finish first on a loaded machine, so the
    // background job is the patient four times over (24 steps, not 6).
    const repeats = 4;
    const longJob = { ...job, patients: Array.from({ length: repeats }, () => job.patients[0]!), previewSliceId: shown };
    const order: string[] = [];
    const background: SlicePrediction[] = [];
    const urgent: Promise<unknown>[] = [];
    await predictor.predict(longJob, (p) => background.push(p), {
      onPreview: () => {
        order.push('background preview');
        // Someone opens another patient while this one's volume is under way: it gives way at its next step. (Two
        // slices are enough for a job that goes first; the background job's intact resumption is what is checked.)
        if (urgent.length === 0) urgent.push(predictor.predict({ ...firstSlices(job, 2), urgent: true }, () => undefined).then(() => order.push('urgent')));
      },
    });
    order.push('background');
    await Promise.all(urgent);
    expect(order).toEqual(['background preview', 'background preview', 'background preview', 'urgent', 'background']);
    expectSameSlices(background, Array.from({ length: repeats }, () => reference).flat());
  }, 240_000);

  it('a job whose process dies fails with the reason; the next job starts a new process', async () => {
    const job = sampleJob(3);
    let kills = 0;
    // A launcher that kills the first process as soon as its backend is up: the job sent with it is in flight.
    const { forkComputeProcess } = await import('../../src/compute/host.js');
    predictor = new WarmPredictor('wasm', () => (entry) => {
      const child = forkComputeProcess(entry);
      if (kills === 0) child.onMessage((m) => m.type === 'backend' && kills++ === 0 && child.kill());
      return child;
    });
    await expect(predictor.predict(job, () => undefined)).rejects.toThrow(/the predictor stopped/);
    const again = await predictor.predict(job, () => undefined);
    expect(again.slices).toBe(3);
  }, 240_000);

  it('a broken model file fails that job with its error and the predictor keeps serving', async () => {
    const job = sampleJob(2);
    // The warm one, its model loaded: the failed load frees that model, and the next job must load it again.
    const { predictor } = predictorWithReference();
    await expect(predictor.predict({ ...job, modelFile: path.join(tempDir(), 'missing.bsm') }, () => undefined)).rejects.toThrow(/missing\.bsm|ENOENT|no such file/i);
    expect((await predictor.predict(job, () => undefined)).slices).toBe(2);
  }, 240_000);
});
