#!/usr/bin/env node
// The post-processing part of the recipe sweep (issue 12): on a data folder's validation patients (never trained
// on), predicts each volume once — plain and horizontally flipped — and scores every combination of threshold,
// flip test-time augmentation and connected-component filtering by per-volume Dice, as `brainseg eval` does.
// Runs the built core (npm run build first) on the WASM backend, in this process.
//
// Usage: node bench/postprocess-sweep.mjs <data folder> <model id> [--json out.json]
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
import { dice, largestConnectedComponent, summarize } from '../dist/src/ml/metrics.js';

const [homeDir, modelArg, ...rest] = process.argv.slice(2);
if (!homeDir || !modelArg) {
  console.error('usage: node bench/postprocess-sweep.mjs <data folder> <model id> [--json out.json]');
  process.exit(2);
}
const jsonOut = rest.includes('--json') ? rest[rest.indexOf('--json') + 1] : null;
await selectBackend('wasm');
const home = resolveHome(homeDir);
const db = openCatalog(home.catalog);
const model = findModel(db, Number(modelArg));
const validation = listPatients(db).filter((p) => p.split === 'validation');
const jobs = buildJobPatients(db, { patients: validation });
db.close();
const { model: network, shape } = await loadModelFile(path.resolve(home.models, model.file));
const inference = foldedCopy(network, shape);

/** Keeps the 3-D components at least `fraction` of the largest one's size (0: all; 1: the largest only). */
function keepComponents(volume, depth, height, width, fraction) {
  if (fraction >= 1) return largestConnectedComponent(volume, depth, height, width);
  if (fraction <= 0) return volume;
  const labels = new Int32Array(volume.length);
  const sizes = [0];
  const stack = new Int32Array(volume.length);
  const plane = height * width;
  for (let start = 0; start < volume.length; start++) {
    if (!volume[start] || labels[start]) continue;
    const label = sizes.length;
    let top = 0;
    let size = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top) {
      const i = stack[--top];
      size++;
      const z = Math.floor(i / plane), y = Math.floor((i % plane) / width), x = i % width;
      const next = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1, z > 0 ? i - plane : -1, z < depth - 1 ? i + plane : -1];
      for (const j of next) if (j >= 0 && volume[j] && !labels[j]) { labels[j] = label; stack[top++] = j; }
    }
    sizes.push(size);
  }
  const largest = Math.max(...sizes);
  const out = new Uint8Array(volume.length);
  for (let i = 0; i < volume.length; i++) if (labels[i] && sizes[labels[i]] >= fraction * largest) out[i] = 1;
  return out;
}

/** Keeps the 3-D component with the largest summed probability (not the most voxels). */
function keepMostProbable(volume, probabilities, depth, height, width) {
  const labels = new Int32Array(volume.length);
  const mass = [0];
  const stack = new Int32Array(volume.length);
  const plane = height * width;
  for (let start = 0; start < volume.length; start++) {
    if (!volume[start] || labels[start]) continue;
    const label = mass.length;
    let top = 0;
    let sum = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top) {
      const i = stack[--top];
      sum += probabilities[i];
      const z = Math.floor(i / plane), y = Math.floor((i % plane) / width), x = i % width;
      const next = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1, z > 0 ? i - plane : -1, z < depth - 1 ? i + plane : -1];
      for (const j of next) if (j >= 0 && volume[j] && !labels[j]) { labels[j] = label; stack[top++] = j; }
    }
    mass.push(sum);
  }
  let best = 0;
  for (let l = 1; l < mass.length; l++) if (mass[l] > mass[best]) best = l;
  const out = new Uint8Array(volume.length);
  if (best > 0) for (let i = 0; i < volume.length; i++) if (labels[i] === best) out[i] = 1;
  return out;
}

const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7];
const COMPONENTS = [{ name: 'all', fraction: 0 }, { name: 'largest', fraction: 1 }, { name: 'most probable', fraction: -1 }, { name: '≥ 10 % of largest', fraction: 0.1 }, { name: '≥ 25 % of largest', fraction: 0.25 }];
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
        const kept = c.fraction < 0 ? keepMostProbable(binary, stacked, count, height, width) : keepComponents(binary, count, height, width, c.fraction);
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
