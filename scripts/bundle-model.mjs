#!/usr/bin/env node
// Packs a model trained with `brainseg train` into resources/models/lgg-unet-fast/: the weights, a model card
// (card.json) and its README. The card records the training patients by case id, the full config, the epochs,
// each validation patient's per-volume Dice (and eval's per-slice figures) scored anew here, the data source and
// its terms, and the weights' sha256. Runs the built core (npm run build first).
//
// Usage: node scripts/bundle-model.mjs <data folder (--home of the run)> <model id> [--command "<how it was trained>"] [--out DIR]
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../dist/src/bundled/bundled-model.js';
import { openCatalog } from '../dist/src/catalog/db.js';
import { findModel, insertModel } from '../dist/src/catalog/models.js';
import { listPatients } from '../dist/src/catalog/patients.js';
import { resolveHome, ensureHome } from '../dist/src/home.js';
import { evaluateFolder } from '../dist/src/services/evaluation.js';
import { fillModelReadme, writeFigures } from './figures.mjs';

const [homeDir, modelArg, ...rest] = process.argv.slice(2);
if (!homeDir || !modelArg) {
  console.error('usage: node scripts/bundle-model.mjs <data folder> <model id> [--command "<training command>"]');
  process.exit(2);
}
const option = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : null);
const command = option('--command');
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(option('--out') ?? path.join(repo, 'resources/models/lgg-unet-fast'));

const home = resolveHome(homeDir);
const db = await openCatalog(home.catalog);
const model = await findModel(db, Number(modelArg));
if (!model) throw new Error(`no model ${modelArg} in ${home.catalog}`);
// The chain of runs that made it: a fine-tune records its parent, and so on back to the run from scratch.
const lineage = [];
for (let m = model; m; m = m.parentId ? await findModel(db, m.parentId) : undefined) {
  lineage.unshift({ modelId: m.id, epochs: m.metrics.epochsRun ?? null, bestEpoch: m.metrics.bestEpoch ?? null, seconds: m.metrics.seconds ?? null,
    learningRate: m.config.learningRate, schedule: m.config.learningRateSchedule, history: m.metrics.history ?? [] });
}
const totalSeconds = lineage.reduce((sum, run) => sum + (run.seconds ?? 0), 0);
const patients = await listPatients(db);
const training = patients.filter((p) => p.split === 'train').map((p) => p.caseId).sort();
const validation = patients.filter((p) => p.split === 'validation');
await db.destroy();

// Score the validation patients as `brainseg eval` does, from a scratch data folder that holds only this model
// (eval refuses patients of its own catalog, since a model may have trained on them; these it did not).
const scratch = mkdtempSync(path.join(tmpdir(), 'brainseg-bundle-'));
const scratchHome = ensureHome(resolveHome(path.join(scratch, 'home')));
const folder = path.join(scratch, 'validation');
mkdirSync(folder);
for (const p of validation) symlinkSync(p.sourceFolder, path.join(folder, p.caseId));
mkdirSync(path.join(scratchHome.models, 'bundled'), { recursive: true });
copyFileSync(path.resolve(home.models, model.file), path.join(scratchHome.models, 'bundled', 'model.bsm'));
const scratchDb = await openCatalog(scratchHome.catalog);
const registered = await insertModel(scratchDb, { ...model, parentId: null, file: path.join('bundled', 'model.bsm'), maskIds: [] }, true);
const report = await evaluateFolder(scratchDb, scratchHome, folder, { modelId: registered.id, backend: 'auto' });
await scratchDb.destroy();
rmSync(scratch, { recursive: true, force: true });

mkdirSync(out, { recursive: true });
const weights = readFileSync(path.resolve(home.models, model.file));
writeFileSync(path.join(out, 'model.bsm'), weights);
const metrics = model.metrics;
const card = {
  name: 'lgg-unet-fast',
  weightsFile: 'model.bsm',
  sha256: sha256(weights),
  weightsBytes: weights.length,
  preset: model.preset,
  config: model.config,
  epochs: metrics.epochsRun ?? null,
  bestEpoch: metrics.bestEpoch ?? null,
  trainingSeconds: metrics.seconds ?? null,
  history: metrics.history ?? [],
  // Every run from the first (from scratch) to this one, each fine-tuning the one before.
  lineage,
  totalTrainingSeconds: totalSeconds,
  backend: model.backend,
  trainedWith: command,
  trainedAt: model.createdAt,
  trainingPatients: training,
  validationPatients: report.patients.map((p) => ({ id: p.id, dice: Number(p.dice.toFixed(4)), slices: p.slices,
    lesionSliceDice: p.lesionSliceDice === null ? null : Number(p.lesionSliceDice.toFixed(4)),
    falsePositiveSlices: p.falsePositiveSlices, lesionFreeSlices: p.lesionFreeSlices,
    volumeError: p.volumeError === null ? null : Number(p.volumeError.toFixed(4)) })),
  // Five digits: at four, a mean of 0.82353 is stored as 0.8235, which the app prints as 82.3 % (82.35 in binary is
  // just under) while the README rounds the same run to 0.824.
  validationMeanDice: Number(report.mean.toFixed(5)),
  validationMedianDice: Number(report.median.toFixed(5)),
  data: {
    source: 'LGG Segmentation Dataset (Kaggle: mateuszbuda/lgg-mri-segmentation, kaggle_3m), built for Buda, Saha & ' +
      'Mazurowski (2019), Computers in Biology and Medicine 109: 218–225; images from The Cancer Imaging Archive ' +
      '(TCGA-LGG). 100 of its 110 patients, as laid out by shared/tools/lgg-full.sh; 10 are held out for acceptance ' +
      'testing and were never used.',
    terms: 'Research use; cite the paper and TCIA. Not for diagnosis or any clinical decision.',
  },
  intendedUse: 'A starting proposal for FLAIR abnormality masks that a radiologist reviews and corrects in BrainSeg ' +
    'Studio, and the parent of their retrains. Research use only; not a medical device; not for diagnosis.',
};
writeFileSync(path.join(out, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);

// The README's figures are blocks that scripts/figures.mjs fills from the card, as it fills those of README.md and
// docs/ (run here, so no page quotes the previous model's figures).
writeFileSync(path.join(out, 'README.md'), `# lgg-unet-fast — the bundled model

The U-Net that BrainSeg Studio registers as model 1 of a new data folder, so that the first patient opened
shows a prediction at once. Everything a reader needs to judge it is in \`card.json\`; this page summarises it (the
figures below are filled in from the card by \`node scripts/figures.mjs\`).

<!-- figures:bundled-model-card -->
<!-- /figures -->

<!-- figures:bundled-model-patients-full -->
<!-- /figures -->

Made by \`node scripts/bundle-model.mjs <data folder> <model id>\`.
`);
fillModelReadme(out);
if (out === path.join(repo, 'resources/models/lgg-unet-fast')) {
  const changed = writeFigures(repo);
  if (changed.length) console.log(`figures from the new card: ${changed.join(', ')} (review and commit them with it)`);
}
console.log(`wrote ${out}: mean validation Dice ${report.mean.toFixed(3)} over ${validation.length} patients, sha256 ${card.sha256}`);
