#!/usr/bin/env node
// Packs an interactive (click-to-segment) model trained with `brainseg train --interactive` into
// resources/models/lgg-unet-interactive/: the weights, a model card (card.json) and its README. The card records the
// recipe, the training time, the epochs' validation click curve, and the click curve scored anew here by
// `brainseg eval --validation --clicks … --propagate` on the catalog's validation patients (never trained on). Runs
// the built CLI (npm run build first).
//
// Usage: node scripts/bundle-interactive-model.mjs <data folder (--home of the run)> <model id> [--command "<how>"] [--out DIR]
//        node scripts/bundle-interactive-model.mjs <data folder> <model id> --rescore
// --rescore keeps the bundled card and its weights (the model given must be them: same sha256) and only scores its
// click curve anew, for when the click rules change (src/ml/interactive/local-update.ts) and the model does not.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBundledCard, sha256 } from '../dist/src/bundled/bundled-model.js';
import { openCatalog } from '../dist/src/catalog/db.js';
import { findModel } from '../dist/src/catalog/models.js';
import { listPatients } from '../dist/src/catalog/patients.js';
import { resolveHome } from '../dist/src/home.js';
import { fillModelReadme, writeFigures } from './figures.mjs';

const [homeDir, modelArg, ...rest] = process.argv.slice(2);
if (!homeDir || !modelArg) {
  console.error('usage: node scripts/bundle-interactive-model.mjs <data folder> <model id> [--command "<training command>"] [--out DIR]');
  process.exit(2);
}
const option = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : null);
const command = option('--command') ?? 'brainseg train --interactive';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(option('--out') ?? path.join(repo, 'resources/models/lgg-unet-interactive'));

const home = resolveHome(homeDir);
const db = await openCatalog(home.catalog);
const model = await findModel(db, Number(modelArg));
if (!model) throw new Error(`no model ${modelArg} in ${home.catalog}`);
if (model.config.kind !== 'interactive') throw new Error(`model ${modelArg} is not an interactive model`);
const parent = model.parentId ? await findModel(db, model.parentId) : undefined;
const patients = await listPatients(db);
const training = patients.filter((p) => p.split === 'train').map((p) => p.caseId).sort();
await db.destroy();

const weights = readFileSync(path.resolve(home.models, model.file));
// Checked before the evaluation's minutes: --rescore keeps the card's weights, so it scores only those.
const bundledCard = rest.includes('--rescore') ? JSON.parse(readFileSync(path.join(out, 'card.json'), 'utf8')) : null;
if (bundledCard && bundledCard.sha256 !== sha256(weights)) {
  throw new Error(`model ${model.id} is not the bundled interactive model (its weights' sha256 differs from card.json's)`);
}

// The click curve as `brainseg eval` scores it: the same protocol as training's simulated clicks, deterministic.
const clicks = '1,2,3,5';
const evalArgs = ['--home', home.root, 'eval', '--validation', '--clicks', clicks, '--propagate', '--interactive', String(model.id), '--json'];
const report = JSON.parse(execFileSync(process.execPath, [path.join(repo, 'bin/brainseg'), ...evalArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
const round = (v) => (v === null || v === undefined ? null : Number(v.toFixed(4)));

const validationPatients = report.clickPatients.map((p) => ({
  id: p.id, dice: round(p.automaticDice), clicks: Object.fromEntries(Object.entries(p.clicks).map(([k, v]) => [k, round(v)])),
  propagatedDice: round(p.propagatedDice),
}));
const clickCurve = {
  command: `brainseg ${evalArgs.slice(2).join(' ')}`,
  lesionSlices: report.lesionSlices,
  automatic: { lesionSliceDice: round(report.automatic.lesionSliceDice), volumeDice: round(report.automatic.volumeDice) },
  clicks: Object.fromEntries(Object.entries(report.clicks).map(([k, v]) => [k, {
    lesionSliceDice: round(v.lesionSliceDice), volumeDice: round(v.volumeDice), slicesBelowAutomatic: v.slicesBelowAutomatic,
  }])),
  noc85: round(report.noc85),
  noc90: round(report.noc90),
  propagated: report.propagated ? { volumeDice: round(report.propagated.volumeDice) } : null,
};

if (bundledCard) {
  writeFileSync(path.join(out, 'card.json'), `${JSON.stringify({ ...bundledCard, validationPatients, clickCurve }, null, 2)}\n`);
  fillModelReadme(out);
  const changed = writeFigures(repo);
  if (changed.length) console.log(`figures from the rescored card: ${changed.join(', ')} (review and commit them with it)`);
  const fmt = (v) => v.toFixed(3);
  console.log(`rescored ${out}: ${Object.entries(clickCurve.clicks).map(([k, v]) => `${k}: ${fmt(v.lesionSliceDice)}`).join(', ')}`);
  process.exit(0);
}

mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'model.bsm'), weights);
const automaticCard = readBundledCard(path.join(repo, 'resources/models/lgg-unet-fast'));
const metrics = model.metrics;
const card = {
  name: 'lgg-unet-interactive',
  kind: 'interactive',
  weightsFile: 'model.bsm',
  sha256: sha256(weights),
  weightsBytes: weights.length,
  preset: model.preset,
  config: model.config,
  // The automatic model it refines (its 0-click proposal is that model's prediction).
  parent: { name: automaticCard.name, sha256: parent ? automaticCard.sha256 : null },
  epochs: metrics.epochsRun ?? null,
  bestEpoch: metrics.bestEpoch ?? null,
  trainingSeconds: metrics.seconds ?? null,
  history: metrics.history ?? [],
  backend: model.backend,
  trainedWith: command,
  trainedAt: model.createdAt,
  trainingPatients: training,
  validationPatients,
  // No single figure: an interactive model's quality is its click curve (below), not one Dice.
  validationMeanDice: null,
  clickCurve,
  data: automaticCard.data,
  intendedUse: 'Refines the automatic proposal from a radiologist\'s clicks in BrainSeg Studio\'s click tool (K). ' +
    'Research use only; not a medical device; not for diagnosis.',
};
writeFileSync(path.join(out, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);

// The README's figures are blocks that scripts/figures.mjs fills from the card, as it fills those of README.md and
// docs/ (run here, so no page quotes the previous model's curve).
writeFileSync(path.join(out, 'README.md'), `# lgg-unet-interactive — the bundled click-to-segment model

The U-Net behind the click tool (K): the bundled automatic model's network with three more input channels (positive
clicks, negative clicks, the current mask), fine-tuned from it on simulated clicks. Everything is in \`card.json\`; the
figures below are filled in from it by \`node scripts/figures.mjs\`.

<!-- figures:interactive-model-card -->
<!-- /figures -->

Made by \`node scripts/bundle-interactive-model.mjs <data folder> <model id>\`.
`);
fillModelReadme(out);
if (out === path.join(repo, 'resources/models/lgg-unet-interactive')) {
  const changed = writeFigures(repo);
  if (changed.length) console.log(`figures from the new card: ${changed.join(', ')} (review and commit them with it)`);
}
const curve = card.clickCurve;
const ks = Object.keys(curve.clicks);
const fmt = (v) => (v === null || v === undefined ? '—' : v.toFixed(3));
console.log(`wrote ${out}: ${ks.map((k) => `${k} click${k === '1' ? '' : 's'} ${fmt(curve.clicks[k].lesionSliceDice)}`).join(', ')}; sha256 ${card.sha256}`);
