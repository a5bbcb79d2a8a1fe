// One round of the scanner-import benchmark, in its own process so its peak RSS is the import's own (the peak is a
// process's lifetime high-water mark). `import`: importPath into a fresh catalog and volume-image folder, then what
// the viewer does to draw the patient's opening slice (patients, slices, that slice's image: the bytes it draws).
// `stages`: the same work split into the importer's stages (find, read the volumes, lay out and encode the slices),
// to see where the time goes; the catalog write is what importPath adds on top.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openCatalog } from '../catalog/db.js';
import { volumeImageDir, type HomePaths } from '../home.js';
import { findPatients } from '../importer/find-patients.js';
import { importPath } from '../importer/import.js';
import type { SkippedFile } from '../importer/formats/volume-format.js';
import { resolveImportRoot } from '../importer/scan.js';
import { buildVolumeSlices } from '../importer/volumes/volume-slices.js';
import { createCatalogService } from '../services/catalog-service.js';

export interface ImportRun {
  importSeconds: number;
  /** From the import's start to the opening slice's pixels decoded (the first lesion slice, else the middle one). */
  firstSliceSeconds: number;
  openingSlice: number;
  patients: number;
  slices: number;
  lesionSlices: number;
  skipped: number;
  /** Peak RSS after the catalog is open (modules loaded), and at the end: MB. */
  baselineRssMB: number;
  peakRssMB: number;
}

export interface StageRun {
  findSeconds: number;
  loadSeconds: number;
  buildSeconds: number;
  peakRssMB: number;
}

export type RunMessage = { ok: true; run: ImportRun | StageRun } | { ok: false; error: string };

/**
 * This process's peak RSS so far, MB. Linux's VmHWM, not getrusage's maxRSS: a forked child's maxRSS starts at the
 * parent's RSS at the fork (it survives the exec), so it would count the benchmark's generated volumes.
 */
function rssMB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
const seconds = (from: number) => Number(((performance.now() - from) / 1000).toFixed(3));

function homeAt(root: string): HomePaths {
  return { root, catalog: path.join(root, 'catalog.sqlite'), models: path.join(root, 'models') };
}

async function timeImport(input: string, root: string): Promise<ImportRun> {
  const home = homeAt(root);
  const db = await openCatalog(home.catalog);
  try {
    const catalog = createCatalogService(db, home);
    const baselineRssMB = rssMB();
    const started = performance.now();
    const report = await importPath(db, input, { volumeImageDir: volumeImageDir(home) });
    const importSeconds = seconds(started);
    if (report.patients !== 1) throw new Error(`expected one patient, imported ${report.patients}: ${report.skipped.map((s) => s.reason).join('; ')}`);
    const [patient] = await catalog.patients();
    const slices = await catalog.slices(patient!.id);
    const opening = slices.find((s) => s.hasLesion) ?? slices[Math.floor(slices.length / 2)]!;
    const image = await catalog.image(opening.id);
    if (image.data.length !== image.width * image.height * image.channels) throw new Error('the opening slice decoded to the wrong size');
    return {
      importSeconds, firstSliceSeconds: seconds(started), openingSlice: opening.number, patients: report.patients,
      slices: report.slices, lesionSlices: report.lesionSlices, skipped: report.skipped.length, baselineRssMB, peakRssMB: rssMB(),
    };
  } finally {
    await db.destroy();
  }
}

async function timeStages(input: string, root: string): Promise<StageRun> {
  let started = performance.now();
  const skipped: SkippedFile[] = [];
  const [candidate] = await findPatients(resolveImportRoot(input), [], skipped);
  if (candidate?.kind !== 'volumes') throw new Error('no scanner-format patient found');
  const findSeconds = seconds(started);
  started = performance.now();
  const loaded = await candidate.patient.load();
  const loadSeconds = seconds(started);
  started = performance.now();
  await buildVolumeSlices(candidate.format, loaded, { imageDir: path.join(volumeImageDir(homeAt(root)), 'stages'), lesionLabels: null });
  return { findSeconds, loadSeconds, buildSeconds: seconds(started), peakRssMB: rssMB() };
}

const [mode, input, root] = process.argv.slice(2) as ['import' | 'stages', string, string];
(mode === 'stages' ? timeStages(input, root) : timeImport(input, root)).then(
  (run) => process.send?.({ ok: true, run } satisfies RunMessage, () => process.exit(0)),
  (error: Error) => process.send?.({ ok: false, error: error.stack ?? error.message } satisfies RunMessage, () => process.exit(0)),
);
