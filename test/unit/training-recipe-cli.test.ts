// Issue 31 items 13–14 from the command line: `brainseg train --optimizer sgd --schedule one-cycle --flip --scale
// --rotation --intensity` trains a real (tiny) model with that recipe, stores it in the model's config, and
// `brainseg models` shows it in its recipe column; a bad value is refused with the field named and nothing trained.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const PATIENTS = ['TCGA_CS_6666_20011109', 'TCGA_DU_7294_19890104'];
const TINY = ['--preset', 'tiny', '--features', '4', '--size', '32', '--backend', 'wasm', '--epochs', '1', '--steps', '2', '--from-scratch'];

interface ModelsJson {
  models: { id: number; config: Record<string, unknown> }[];
}

describe('the training recipe on the command line', () => {
  it('trains with SGD, one-cycle and the given augmentation, and lists that recipe with the model', async () => {
    const home = tempDir();
    expect((await runCliJson(home, ['import', makeSampleSubset(path.join(tempDir(), 'kaggle_3m'), PATIENTS)])).code).toBe(0);
    const recipe = ['--optimizer', 'sgd', '--schedule', 'one-cycle', '--flip', '0.25', '--scale', '0.1', '--rotation', '7', '--intensity', '0.05'];
    const trained = await runCli(home, ['train', ...TINY, ...recipe, '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const done = JSON.parse(trained.stdout.trim().split('\n').pop()!) as { type: string; modelId: number };
    expect(done.type).toBe('done');

    const { json } = await runCliJson<ModelsJson>(home, ['models']);
    const model = json.models.find((m) => m.id === done.modelId)!;
    expect(model.config).toMatchObject({
      optimizer: 'sgd', learningRate: 0.1, learningRateSchedule: 'one-cycle',
      augmentFlipProbability: 0.25, augmentScale: 0.1, augmentRotationDegrees: 7, augmentIntensity: 0.05,
    });
    const table = await runCli(home, ['models']);
    const row = table.stdout.split('\n').find((line) => new RegExp(`^\\*?\\s*${done.modelId}\\s`).test(line))!;
    expect(table.stdout.split('\n')[0]).toMatch(/recipe$/);
    expect(row).toContain('sgd 0.1/one-cycle, flip 0.25 scale ±0.1 rot ±7° int ±0.05');
  });

  it('refuses an unknown optimizer or an impossible augmentation, naming it, and trains nothing', async () => {
    const home = tempDir();
    const optimizer = await runCli(home, ['train', ...TINY, '--optimizer', 'rmsprop']);
    expect(optimizer.code).toBe(2);
    expect(optimizer.stderr).toMatch(/--optimizer must be one of adam, sgd/);
    const schedule = await runCli(home, ['train', ...TINY, '--schedule', 'step']);
    expect(schedule.stderr).toMatch(/--schedule must be one of constant, cosine, one-cycle/);
    const flip = await runCli(home, ['train', ...TINY, '--flip', '2']);
    expect(flip.code).not.toBe(0);
    expect(flip.stderr).toMatch(/augmentFlipProbability must be in \[0, 1\], got 2/);
    expect((await runCliJson<ModelsJson>(home, ['models'])).json.models).toEqual([]);
  });
});
