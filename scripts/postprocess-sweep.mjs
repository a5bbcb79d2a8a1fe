#!/usr/bin/env node
// The post-processing part of the recipe sweep (issue 12): on a data folder's validation patients (never trained
// on), predicts each volume once — plain and horizontally flipped — and scores every combination of threshold,
// flip test-time augmentation and connected-component filtering by per-volume Dice, as `brainseg eval` does.
// Runs the built core (npm run build first) on the WASM backend, in this process.
//
// Usage: node scripts/postprocess-sweep.mjs <data folder> <model id> [--json out.json]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { selectBackend } from '../dist/src/ml/backends/select-backend.js';
import { openCatalog } from '../dist/src/catalog/db.js';
import { findModel } from '../dist/src/catalog/models.js';
import { listPatients } from '../dist/src/catalog/patients.js';
import { resolveHome } from '../dist/src/home.js';
import { buildJobPatients } from '../dist/src/services/job-builder.js';
import { prepareVolume } from '../dist/src/ml/dataset.js';
import { loadModelFile } from '../dist/src/ml/model-file.js';
import { mirrorSlices, predictSlices, toNativeVolume } from '../dist/src/ml/predict.js';
import { foldedCopy } from '../dist/src/ml/unet.js';
import { dice, labelComponents, largestConnectedComponent, summarize } from '../dist/src/ml/metrics.js';

const [homeDir, modelArg, ...rest] = process.argv.slice(2);
if (!homeDir || !modelArg) {
  console.error('usage: node scripts/postprocess-sweep.mjs <data folder> <model id> [--json out.json]');
  process.exit(2);
}
const jsonOut = rest.includes('--json') ? rest[rest.indexOf('--json') + 1] : null;
await selectBackend('wasm');
const home = resolveHome(homeDir);
const db = await openCatalog(home.catalog);
const model = await findModel(db, Number(modelArg));
const validation = (await listPatients(db)).filter((p) => p.split === 'validation');
const jobs = await buildJobPatients(db, { patients: validation });
await db.destroy();
const { model: network, shape } = await loadModelFile(path.resolve(home.models, model.file));
const inference = foldedCopy(network, shape);

/** Keeps the 3-D components whose `weight` (voxels, or summed probability) is at least `fraction` of the heaviest's. */
function keepComponents(volume, depth, height, width, fraction, voxelWeight = () => 1) {
  if (fraction <= 0) return volume;
  const { labels, count } = labelComponents(volume, depth, height, width);
  const weights = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) if (labels[i]) weights[labels[i]] += voxelWeight(i);
  const heaviest = Math.max(0, ...weights);
  const out = new Uint8Array(volume.length);
  for (let i = 0; i < volume.length; i++) if (labels[i] && weights[labels[i]] >= fraction * heaviest) out[i] = 1;
  return out;
}

const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7];
// 'largest' is the core's own rule (what the app keeps); the others are candidates.
const COMPONENTS = [
  { name: 'all', keep: (v) => v },
  { name: 'largest', keep: (v, d, h, w) => largestConnectedComponent(v, d, h, w) },
  { name: 'most probable', keep: (v, d, h, w, p) => keepComponents(v, d, h, w, 1, (i) => p[i]) },
  { name: '≥ 10 % of largest', keep: (v, d, h, w) => keepComponents(v, d, h, w, 0.1) },
  { name: '≥ 25 % of largest', keep: (v, d, h, w) => keepComponents(v, d, h, w, 0.25) },
];
const scores = new Map(); // "tta|threshold|components" → per-patient Dice
const started = performance.now();
for (const job of jobs) {
  const volume = await prepareVolume(job, shape.inputSize);
  const count = job.slices.length;
  const plain = predictSlices(inference, volume.images, count, volume.size);
  const unflipped = mirrorSlices(predictSlices(inference, mirrorSlices(volume.images, count, volume.size, 3), count, volume.size), count, volume.size, 1);
  const averaged = plain.map((p, i) => (p + unflipped[i]) / 2);
  const { width, height } = job.slices[0];
  const plane = width * height;
  const truth = new Uint8Array(count * plane);
  volume.nativeMasks.forEach((m, i) => m && truth.set(m, i * plane));
  for (const [tta, probabilities] of [['none', plain], ['flip', averaged]]) {
    const native = toNativeVolume(probabilities, volume.size, job.slices);
    for (const threshold of THRESHOLDS) {
      const binary = new Uint8Array(count * plane);
      const stacked = new Float32Array(count * plane);
      native.forEach((p, i) => { stacked.set(p, i * plane); for (let j = 0; j < plane; j++) binary[i * plane + j] = p[j] >= threshold ? 1 : 0; });
      for (const c of COMPONENTS) {
        const key = `${tta}|${threshold}|${c.name}`;
        if (!scores.has(key)) scores.set(key, []);
        const kept = c.keep(binary, count, height, width, stacked);
        scores.get(key).push({ caseId: job.caseId, dice: dice(kept, truth) });
      }
    }
  }
  console.error(`${job.caseId}: ${count} slices (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
network.dispose();
inference.dispose();

const rows = [...scores].map(([key, patients]) => {
  const [tta, threshold, components] = key.split('|');
  const { mean, median } = summarize(patients.map((p) => p.dice));
  return { tta, threshold: Number(threshold), components, mean, median, patients };
}).sort((a, b) => b.mean - a.mean);
console.log('| flip TTA | threshold | components kept | mean Dice | median |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.tta} | ${r.threshold} | ${r.components} | ${r.mean.toFixed(3)} | ${r.median.toFixed(3)} |`);
console.log(`\n${jobs.length} validation patients, model ${model.id}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ model: model.id, patients: jobs.length, rows }, null, 2));
