// One table of training defaults (src/contract/training-presets.ts): the CLI's config, the menu's command and the
// training panel read it, so "train from scratch" means the same run from every door (issue #30 item 4).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FROM_SCRATCH_DEFAULTS, RETRAIN_BUDGET_MINUTES } from '../../src/contract/index.js';
import { RETRAIN_DEFAULTS, validateTrainConfig } from '../../src/ml/config.js';
import { REPO_ROOT } from '../helpers/sample-data.js';

function rendererSources(dir = path.join(REPO_ROOT, 'renderer/src')): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return rendererSources(file);
    return /\.tsx?$/.test(entry.name) ? [{ file, text: readFileSync(file, 'utf8') }] : [];
  });
}

describe('training defaults', () => {
  it('a run from scratch with nothing set is the table\'s preset and epochs', () => {
    expect(validateTrainConfig({})).toMatchObject(FROM_SCRATCH_DEFAULTS);
    expect(RETRAIN_DEFAULTS.minutes).toBe(RETRAIN_BUDGET_MINUTES);
  });

  it('no renderer file writes a preset, an epoch count or a budget of its own', () => {
    const own = rendererSources().flatMap(({ file, text }) =>
      [...text.matchAll(/preset:\s*'\w+'|epochs:\s*\d+|useState<PresetName>\('\w+'\)|minutes:\s*\d/g)].map((m) => `${path.relative(REPO_ROOT, file)}: ${m[0]}`));
    expect(own).toEqual([]);
  });
});
