// The model shipped in resources/models/lgg-unet-fast: it is there, matches its card, is what a new data folder
// starts with, and segments real patients. A smoke test, not a score: the two sample patients may be among its
// training patients (the card lists them; its validation figures are in the card and the README).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledModelDir, readBundledCard, sha256 } from '../../src/bundled/bundled-model.js';
import { runCliJson } from '../helpers/cli.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const PATIENTS = ['TCGA_CS_6666_20011109', 'TCGA_HT_7473_19970826'];
// An empty override means "the shipped bundle" for the CLI processes started here.
const SHIPPED = { BRAINSEG_BUNDLED_MODEL: '' };

describe('the shipped bundled model', () => {
  const dir = bundledModelDir({});

  it('is in resources/, within 10 MB, and its weights match the sha256 of its card', () => {
    expect(dir).not.toBeNull();
    const card = readBundledCard(dir!);
    const weights = readFileSync(path.join(dir!, card.weightsFile));
    expect(statSync(path.join(dir!, card.weightsFile)).size).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(sha256(weights)).toBe(card.sha256);
    expect(card.trainingPatients.length).toBeGreaterThan(50);
    expect(card.validationPatients.length).toBeGreaterThan(5);
    // The reserved acceptance patients never appear in a card: it names exactly what it was trained and validated on.
    expect(new Set([...card.trainingPatients, ...card.validationPatients.map((p) => p.id)]).size).toBe(card.trainingPatients.length + card.validationPatients.length);
  });

  it('is the one, active model of a fresh data folder, and segments two sample patients with per-volume Dice ≥ 0.75', async () => {
    const home = tempDir();
    type Listed = { id: number; origin: string; active: boolean; config: { kind?: string }; card: { trainingPatients: string[] } };
    const { json: listed } = await runCliJson<{ models: Listed[] }>(home, ['models'], SHIPPED);
    // The automatic model, active; beside it the shipped click-to-segment model, which is never active.
    const automatic = listed.models.filter((m) => m.config.kind !== 'interactive');
    expect(automatic).toHaveLength(1);
    expect(automatic[0]).toMatchObject({ id: 1, origin: 'bundled', active: true });
    expect(listed.models.filter((m) => m.config.kind === 'interactive').map((m) => [m.origin, m.active])).toEqual([['bundled', false]]);
    const report = await runCliJson<{ patients: { id: string; dice: number }[] }>(home, ['eval', makeSampleSubset(tempDir(), PATIENTS)], SHIPPED);
    expect(report.code, report.stderr).toBe(0);
    for (const patient of report.json.patients) expect(patient.dice, patient.id).toBeGreaterThanOrEqual(0.75);
  }, 300_000);
});
