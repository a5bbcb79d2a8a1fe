import { cpSync, existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { RETRAIN_DEFAULTS } from '../../src/ml/config.js';
import { findPatientByCaseId } from '../../src/catalog/patients.js';
import { findPrediction } from '../../src/catalog/predictions.js';
import { findSlice } from '../../src/catalog/slices.js';
import { shouldActivate } from '../../src/services/training-service.js';
import { runCli, runCliJson, type CliRun } from '../helpers/cli.js';
import { startCli } from '../helpers/cli-stream.js';
import { makeSampleSubset, sampleFiles, samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const PATIENTS = ['TCGA_CS_6665_20010817', 'TCGA_DU_7294_19890104', 'TCGA_HT_7473_19970826'];
/** A labelled patient (8 of its 20 slices show a lesion) that no test imports: held out for `brainseg eval`. */
const HELD_OUT = 'TCGA_CS_6667_20011105';
const TINY = ['--features', '4', '--size', '32', '--backend', 'wasm'];

interface ModelsJson {
  models: { id: number; parent: number | null; valDice: number | null; status: string; active: boolean; config: Record<string, unknown>; metrics: Record<string, unknown> }[];
}

let dataset: string;
let imported: string;
let trained: string;
/** What the first training run (`trained`'s model 1) printed with --json. */
let firstRun: CliRun;
beforeAll(async () => {
  // Outside tempDir(): they must outlive each test (tempDir cleans up after every test).
  dataset = makeSampleSubset(path.join(tempDir.persistent(), 'kaggle_3m'), PATIENTS);
  // One import for the whole file, copied per test: the import itself is import.test.ts's subject.
  imported = tempDir.persistent();
  expect((await runCliJson(imported, ['import', dataset])).code).toBe(0);
  // One first training run, copied per test that needs a trained model (the first test checks what it printed):
  // each such test trained the same tiny model of its own before.
  trained = tempDir.persistent();
  cpSync(imported, trained, { recursive: true });
  firstRun = await runCli(trained, ['train', ...TINY, '--epochs', '1', '--steps', '2', '--json']);
  expect(firstRun.code, firstRun.stderr).toBe(0);
}, 240_000);

/** A data folder of its own holding the three patients just imported (a copy of the file's one import). */
function freshHome(): string {
  const home = tempDir();
  cpSync(imported, home, { recursive: true });
  return home;
}

/** A copy of the file's imported data folder after its first training run: model 1 (tiny) is active. */
function trainedHome(): string {
  const home = tempDir();
  cpSync(trained, home, { recursive: true });
  return home;
}

describe('brainseg train, models, predict', () => {
  it('trains, registers and activates a model, retrains on edits, and rolls back', async () => {
    const home = trainedHome();
    const lines = firstRun.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'backend', report: { name: 'wasm' } });
    expect(lines.some((l) => l['type'] === 'progress' && l['phase'] === 'training' && typeof l['loss'] === 'number')).toBe(true);
    const done = lines[lines.length - 1]!;
    expect(done).toMatchObject({ type: 'done', modelId: 1, backend: 'wasm', accepted: true });
    expect(typeof done['valDice']).toBe('number');
    expect(typeof done['seconds']).toBe('number');
    // The run folder keeps the model's weights; its checkpoint (only for --resume) is gone once the model is registered.
    const [runDir] = readdirSync(path.join(home, 'models')).filter((n) => n.startsWith('run-'));
    expect(existsSync(path.join(home, 'models', runDir!, 'best.bsm'))).toBe(true);
    expect(existsSync(path.join(home, 'models', runDir!, 'checkpoint.bsm'))).toBe(false);

    // A radiologist edits one mask; retraining starts from model 1 and knows that slice was edited.
    const empty = path.join(tempDir(), 'empty.png');
    await sharp(Buffer.alloc(256 * 256), { raw: { width: 256, height: 256, channels: 1 } }).png().toFile(empty);
    expect((await runCli(home, ['masks', PATIENTS[0]!, '12', '--from', empty])).code).toBe(0);
    const retrain = await runCli(home, ['train', '--backend', 'wasm', '--epochs', '1', '--steps', '2', '--json']);
    expect(retrain.code).toBe(0);
    const retrained = JSON.parse(retrain.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(retrained).toMatchObject({ type: 'done', modelId: 2 });
    expect(retrained['accepted']).toBe(shouldActivate(true, retrained['valDice'] as number, retrained['baselineValDice'] as number));

    const models = (await runCliJson<ModelsJson>(home, ['models'])).json.models;
    expect(models.map((m) => [m.id, m.parent])).toEqual([[2, 1], [1, null]]);
    expect(models[0]!.metrics['editedSlices']).toBe(1);
    // Each version says how it was made: the retrain kept its parent's network and fine-tuned at the lower rate.
    expect(models[1]!.config).toMatchObject({ features: 4, inputSize: 32, learningRate: 1e-3, epochs: 1, stepsPerEpoch: 2 });
    expect(models[0]!.config).toMatchObject({ features: 4, inputSize: 32, learningRate: RETRAIN_DEFAULTS.learningRate, stepsPerEpoch: 2 });
    expect(models.find((m) => m.active)!.id).toBe(retrained['accepted'] ? 2 : 1);

    const rollback = await runCliJson<ModelsJson>(home, ['models', '--activate', '1']);
    expect(rollback.code).toBe(0);
    expect(rollback.json.models.find((m) => m.active)!.id).toBe(1);
    expect((await runCli(home, ['models', '--activate', '99'])).stderr).toMatch(/no model 99/);
  });

  it('refuses to retrain into a different network shape without --from-scratch', async () => {
    const home = trainedHome(); // the active model 1 has 4 features
    const other = await runCli(home, ['train', '--features', '8', '--size', '32', '--backend', 'wasm', '--epochs', '1', '--steps', '1']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/use --from-scratch/);
    expect((await runCli(home, ['train', '--from-scratch', '--features', '8', '--size', '32', '--backend', 'wasm', '--epochs', '1', '--steps', '1'])).code).toBe(0);
  });

  it('stores predictions per slice at the slice resolution, linked to the model', async () => {
    expect((await runCli(freshHome(), ['predict', '--all'])).stderr).toMatch(/no trained model yet/);
    const home = trainedHome();
    const predicted = await runCliJson<{ model: number; slices: number }>(home, ['predict', '--patient', PATIENTS[1]!, '--backend', 'wasm']);
    expect(predicted.code).toBe(0);
    expect(predicted.json).toMatchObject({ model: 1, slices: 34 });
    const db = await openCatalog(path.join(home, 'catalog.sqlite'));
    const slice = (await findSlice(db, (await findPatientByCaseId(db, PATIENTS[1]!))!.id, 10))!;
    const prediction = (await findPrediction(db, slice.id, 1))!;
    expect([prediction.width, prediction.height, prediction.probabilities.length]).toEqual([256, 256, 65536]);
    await db.destroy();
  });

  it('evaluates per-volume Dice on a labelled folder outside the catalog', async () => {
    const home = trainedHome();
    const heldOut = makeSampleSubset(path.join(tempDir(), 'held-out'), [HELD_OUT]);
    const report = await runCliJson<{ model: number; mean: number; median: number; patients: { id: string; dice: number; slices: number }[] }>(home, ['eval', heldOut, '--backend', 'wasm']);
    expect(report.code).toBe(0);
    expect(report.json.model).toBe(1);
    const masks = sampleFiles(HELD_OUT).masks.length;
    expect(report.json.patients).toEqual([expect.objectContaining({ id: HELD_OUT, dice: expect.any(Number), slices: sampleFiles(HELD_OUT).images.length })]);
    // The per-slice fields add up to the patient's slices; the true lesion volume is the masks' own.
    const patient = report.json.patients[0] as unknown as { lesionSlices: number; lesionFreeSlices: number; falsePositiveSlices: number; truePixels: number };
    expect(patient.lesionSlices + patient.lesionFreeSlices).toBe(masks);
    expect(patient.falsePositiveSlices).toBeLessThanOrEqual(patient.lesionFreeSlices);
    expect(patient.truePixels).toBeGreaterThan(0);
    expect(report.json).toHaveProperty('falsePositiveSlices');
    expect(report.json).toHaveProperty('lesionSliceDice');
    expect(report.json.mean).toBe(report.json.patients[0]!.dice);
    expect(report.json.mean).toBeGreaterThanOrEqual(0);
    expect(report.json.mean).toBeLessThanOrEqual(1);
    expect((await runCli(home, ['eval', dataset])).stderr).toMatch(/must not be in the catalog/);
  });
});

describe('training process control', () => {
  it('fine-tunes the interactive model from the active one with the recipe options it was given (--ema, --slice-dice)', async () => {
    const home = trainedHome();
    const run = await runCli(home, ['train', '--interactive', ...TINY, '--ema', '0.9', '--slice-dice', '--epochs', '1', '--steps', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const models = (await runCliJson<ModelsJson>(home, ['models'])).json.models;
    const interactive = models.find((m) => m.config['kind'] === 'interactive');
    expect(interactive).toMatchObject({ parent: 1, active: false });
    expect(interactive!.config).toMatchObject({ weightAverage: 0.9, diceOver: 'slice', features: 4, inputSize: 32 });
    expect(models.find((m) => m.active)?.id).toBe(1); // the automatic model stays the active one
    expect((await runCli(home, ['train', ...TINY, '--ema', '0.9'])).stderr).toMatch(/apply with --interactive/);
    expect((await runCli(home, ['train', '--interactive', ...TINY, '--ema', '1'])).stderr).toMatch(/weightAverage must be in \(0, 1\)/);
  });

  it('cancels on Ctrl+C, keeps no half-trained model, and the run resumes', async () => {
    const home = freshHome();
    // 20 steps an epoch: the Ctrl+C, sent at epoch 2's first progress, must land before that epoch's end (the cancel
    // reaches the compute process between steps, a step or two later); every step is paid again by the resume.
    const run = startCli(home, ['train', ...TINY, '--epochs', '3', '--steps', '20', '--json']);
    await run.waitFor((l) => l['type'] === 'epoch');
    await run.waitFor((l) => l['type'] === 'progress' && l['epoch'] === 2);
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code).toBe(130);
    expect(run.lines[run.lines.length - 1]).toMatchObject({ type: 'cancelled', lastEpoch: 1 });
    expect((await runCliJson<ModelsJson>(home, ['models'])).json.models).toEqual([]);
    const [runDir] = readdirSync(path.join(home, 'models')).filter((n) => n.startsWith('run-'));
    expect(existsSync(path.join(home, 'models', runDir!, 'checkpoint.bsm'))).toBe(true);

    const resumed = await runCli(home, ['train', '--resume', '--json']);
    expect(resumed.code).toBe(0);
    const epochs = resumed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['type'] === 'epoch');
    expect(epochs.map((e) => e['epoch'])).toEqual([2, 3]);
    expect(existsSync(path.join(home, 'models', runDir!, 'checkpoint.bsm'))).toBe(false);
  });

  it('survives being killed mid-run: the checkpoint is whole and the run resumes from it', async () => {
    const home = freshHome();
    // The kill lands well inside epoch 2 (two of its 12 steps done), so the resume must redo epoch 2.
    const run = startCli(home, ['train', ...TINY, '--epochs', '3', '--steps', '12', '--json']);
    await run.waitFor((l) => l['type'] === 'epoch' && l['epoch'] === 1);
    await run.waitFor((l) => l['type'] === 'progress' && l['epoch'] === 2 && (l['step'] as number) >= 2);
    process.kill(-run.child.pid!, 'SIGKILL'); // the CLI and its compute process, as a power cut would
    await run.exit;

    const resumed = await runCli(home, ['train', '--resume', '--json']);
    expect(resumed.code).toBe(0);
    const lines = resumed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l['type'] === 'epoch').map((e) => e['epoch'])).toEqual([2, 3]);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'done', modelId: 1, epochs: 3 });
    expect((await runCli(home, ['train', '--resume'])).stderr).toMatch(/no interrupted run/);
  });

  it('reports a failed run clearly and leaves the active model untouched', async () => {
    const home = trainedHome(); // model 1 is active
    // A real copy (never the sample itself): this test deletes a file from it.
    const copy = path.join(tempDir(), 'TCGA_ZZ_0009_20000101');
    cpSync(samplePatientFolder(PATIENTS[0]!), copy, { recursive: true, dereference: true });
    expect(lstatSync(copy).isSymbolicLink()).toBe(false);
    expect((await runCliJson(home, ['import', copy])).code).toBe(0);

    const badConfig = await runCli(home, ['train', '--backend', 'wasm', '--lr', '5', '--epochs', '1', '--steps', '1']);
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toMatch(/learningRate must be in \(0, 1\)/);

    // The compute process itself fails: a slice image vanished since import.
    rmSync(path.join(copy, `${PATIENTS[0]}_3.tif`));
    const failed = await runCli(home, ['train', '--backend', 'wasm', '--epochs', '1', '--steps', '1']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/training failed: slice image .*_3\.tif cannot be read.*active model is unchanged/s);
    const models = (await runCliJson<ModelsJson>(home, ['models'])).json.models;
    expect(models.map((m) => [m.id, m.active])).toEqual([[1, true]]);
  });
});
