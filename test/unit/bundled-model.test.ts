// The bundled model: registered as the first version of a new data folder, checked against its card, once even
// when several processes open the folder at once, and the parent of the first retrain. Uses a small stand-in
// bundle (an untrained 4-feature network and its card); the shipped model has its own test (bundled-model-quality).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/bundled/bundled-model.js';
import { validateTrainConfig } from '../../src/ml/config.js';
import { saveModelFile } from '../../src/ml/model-file.js';
import { buildUNet } from '../../src/ml/unet.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

interface ModelsJson {
  models: { id: number; parent: number | null; origin: string; active: boolean; preset: string; card: { trainingPatients: string[] } | null }[];
}

const SHAPE = { features: 4, inputSize: 32 };
let bundle: string;
let dataset: string;

/** A bundle folder like resources/models/lgg-unet-fast: weights and a card naming their sha256. */
async function makeBundle(dir: string): Promise<string> {
  const model = buildUNet(SHAPE, 7);
  await saveModelFile(path.join(dir, 'model.bsm'), SHAPE, model);
  model.dispose();
  const card = {
    name: 'test-bundle', weightsFile: 'model.bsm', sha256: sha256(readFileSync(path.join(dir, 'model.bsm'))),
    preset: 'tiny', config: validateTrainConfig({ preset: 'tiny', ...SHAPE }), trainingPatients: ['TCGA_XX_0000_20000101'],
    validationPatients: [{ id: 'TCGA_XX_0001_20000101', dice: 0.5 }], validationMeanDice: 0.5, backend: 'wasm',
  };
  writeFileSync(path.join(dir, 'card.json'), JSON.stringify(card));
  return dir;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  bundle = await makeBundle(tempDir.persistent());
  dataset = makeSampleSubset(path.join(tempDir.persistent(), 'kaggle_3m'), ['TCGA_CS_6665_20010817', 'TCGA_HT_7680_19970202']);
});

describe('the bundled model', () => {
  it('is the first, active model of a new data folder, listed with its origin and card, and registered once', async () => {
    const home = tempDir();
    const env = { BRAINSEG_BUNDLED_MODEL: bundle };
    const first = await runCli(home, ['models', '--json'], env);
    expect(first.stderr).toMatch(/Registered the bundled model as model 1 \(active\)/);
    const { models } = JSON.parse(first.stdout) as ModelsJson;
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ id: 1, parent: null, origin: 'bundled', active: true, preset: 'tiny' });
    expect(models[0]!.card!.trainingPatients).toEqual(['TCGA_XX_0000_20000101']);
    const again = await runCliJson<ModelsJson>(home, ['models'], env);
    expect(again.json.models).toHaveLength(1);
  });

  it('is registered exactly once when four processes open a new data folder at the same moment', async () => {
    const home = tempDir();
    const runs = await Promise.all([0, 1, 2, 3].map(() => runCli(home, ['models', '--json'], { BRAINSEG_BUNDLED_MODEL: bundle })));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const { json } = await runCliJson<ModelsJson>(home, ['models'], { BRAINSEG_BUNDLED_MODEL: bundle });
    expect(json.models.map((m) => m.origin)).toEqual(['bundled']);
  });

  it('is refused with a clear warning when its weights do not match the card, and the folder starts empty', async () => {
    const damaged = await makeBundle(tempDir());
    const card = JSON.parse(readFileSync(path.join(damaged, 'card.json'), 'utf8')) as { sha256: string };
    writeFileSync(path.join(damaged, 'card.json'), JSON.stringify({ ...card, sha256: '0'.repeat(64) }));
    const home = tempDir();
    const run = await runCli(home, ['models', '--json'], { BRAINSEG_BUNDLED_MODEL: damaged });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/weights do not match their card/);
    expect((JSON.parse(run.stdout) as ModelsJson).models).toEqual([]);
  });

  it('is the parent of the first retrain, which fine-tunes it; --from-scratch starts empty', async () => {
    const home = tempDir();
    const env = { BRAINSEG_BUNDLED_MODEL: bundle };
    expect((await runCli(home, ['import', dataset], env)).code).toBe(0);
    const retrain = await runCli(home, ['train', '--epochs', '1', '--steps', '2', '--backend', 'wasm', '--json'], env);
    expect(retrain.code, retrain.stderr).toBe(0);
    const scratch = await runCli(home, ['train', '--from-scratch', '--preset', 'tiny', '--features', '4', '--size', '32', '--epochs', '1', '--steps', '2', '--backend', 'wasm'], env);
    expect(scratch.code, scratch.stderr).toBe(0);
    const { json } = await runCliJson<ModelsJson>(home, ['models'], env);
    const byId = new Map(json.models.map((m) => [m.id, m]));
    expect(byId.get(2)).toMatchObject({ parent: 1, origin: 'trained' });
    expect(byId.get(3)).toMatchObject({ parent: null, origin: 'trained' });
  }, 180_000);
});
