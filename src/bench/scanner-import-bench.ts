// The scanner-import benchmark (`brainseg bench --import`, issue #27 item 10): generates its own inputs in a temp
// folder — a BraTS-style NIfTI case (four 240×240×155 int16 sequences + labels) and a 200-file 512×512 16-bit
// DICOM FLAIR series, optionally a 512×512×400 one — from a real LGG patient when the sample is at hand, else from
// a synthetic head; then, round after round, imports each into a fresh catalog in a fresh process and times the
// import, the time from its start to the opening slice's pixels (what the viewer draws first), and the process's
// peak RSS; and times the bundled model's prediction of the 155-slice volume. Targets sit beside the figures.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBundledModel } from '../bundled/bundled-model.js';
import { openCatalog } from '../catalog/db.js';
import { listPatients } from '../catalog/patients.js';
import { volumeImageDir, type HomePaths } from '../home.js';
import { importPath } from '../importer/import.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import { predictAndStore } from '../services/prediction-pipeline.js';
import { builtScript } from '../util/built-script.js';
import { writeBratsCase, writeDicomSeries } from './scanner-inputs.js';
import type { ImportRun, RunMessage, StageRun } from './scanner-import-run.js';
import { DEFAULT_LGG_CASE, readLggCase, syntheticCase, type SourceCase } from './scanner-phantom.js';

const RUN_ENTRY = builtScript('./scanner-import-run.js', import.meta.url);

export type ScannerCaseName = 'nifti' | 'dicom' | 'dicomLarge';

/** The targets of issue #27 item 10 (seconds on a 2-core machine; peak RSS of the large series). */
export const TARGETS: Record<ScannerCaseName, { seconds: number | null; peakRssMB: number | null }> = {
  nifti: { seconds: 2, peakRssMB: null },
  dicom: { seconds: 3, peakRssMB: null },
  dicomLarge: { seconds: null, peakRssMB: 1024 },
};

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface ScannerCaseResult {
  input: string;
  files: number;
  megabytes: number;
  slices: number;
  lesionSlices: number;
  openingSlice: number;
  importSeconds: Spread;
  /** From the import's start to the opening slice's pixels decoded, through the catalog service the viewer uses. */
  firstSliceSeconds: Spread;
  peakRssMB: Spread;
  /** Peak RSS of the process before the import (Node, sharp, SQLite loaded). */
  baselineRssMB: number;
  targetSeconds: number | null;
  targetPeakRssMB: number | null;
  /** Whether the median import time and the largest peak RSS are within their targets (null: no target). */
  meetsTarget: boolean | null;
  /**
   * One extra run of the importer's stages one after another: find the patient, read its volumes, lay out and
   * encode the slices (PNG). What importPath adds (the catalog write) is the rest of its time on a steady machine.
   */
  stages: { findSeconds: number; loadSeconds: number; buildSeconds: number } | null;
}

export interface ScannerBenchReport {
  benchmark: 'scanner-import';
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  rounds: number;
  /** Where the images' content came from. */
  source: string;
  generateSeconds: Partial<Record<ScannerCaseName, number>>;
  cases: Partial<Record<ScannerCaseName, ScannerCaseResult>>;
  /** The bundled model over the imported 155-slice NIfTI volume, as `brainseg predict` runs it (a compute process). */
  prediction: {
    slices: number; modelId: number; backend: BackendChoice;
    /** predictAndStore from call to stored: starting the process, loading the model, predicting, storing. */
    seconds: Spread;
    /** The compute process's own figure: loading the slices and predicting them. */
    computeSeconds: Spread;
    targetSeconds: null;
  } | null;
  notes: string[];
}

export interface ScannerBenchOptions {
  rounds: number;
  /** Also the 512×512×400 series (peak RSS target 1 GB). */
  large: boolean;
  /** The LGG sample's folder (kaggle_3m); null: the synthetic phantom. */
  dataDir: string | null;
  /** Backend of the prediction; 'auto' as the app. */
  backend: BackendChoice;
  /** Skip the prediction timing. */
  predict: boolean;
  onStatus?: (line: string) => void;
}

export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const round = (v: number) => Number(v.toFixed(3));
  return { median: round(median), min: round(sorted[0]!), max: round(sorted[sorted.length - 1]!) };
}

function inChild<T extends ImportRun | StageRun>(mode: 'import' | 'stages', input: string, home: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(RUN_ENTRY, [mode, input, home], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let settled = false;
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    child.on('message', (m: RunMessage) => {
      settled = true;
      if (m.ok) resolve(m.run as T);
      else reject(new Error(m.error));
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`the import process died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').pop() ?? ''}`));
    });
  });
}

async function readSource(dataDir: string | null, notes: string[]): Promise<SourceCase> {
  if (dataDir) {
    try {
      return await readLggCase(path.join(dataDir, DEFAULT_LGG_CASE));
    } catch (error) {
      notes.push(`LGG patient ${DEFAULT_LGG_CASE} not read (${(error as Error).message}): the synthetic phantom is used`);
    }
  } else notes.push('no LGG sample (set BRAINSEG_SAMPLE_DATA or pass --data): the images are a synthetic phantom');
  return syntheticCase();
}

function homeAt(root: string): HomePaths {
  mkdirSync(path.join(root, 'models'), { recursive: true });
  return { root, catalog: path.join(root, 'catalog.sqlite'), models: path.join(root, 'models') };
}

/** Times the bundled model over the NIfTI case: null (with a note) when there is no bundled model. */
async function timePrediction(input: string, scratch: string, options: ScannerBenchOptions, notes: string[]): Promise<ScannerBenchReport['prediction']> {
  const home = homeAt(path.join(scratch, 'predict-home'));
  const db = await openCatalog(home.catalog);
  try {
    const bundled = await ensureBundledModel(db, home);
    if (bundled.kind !== 'registered') {
      notes.push(bundled.kind === 'unavailable' ? `prediction not timed: ${bundled.reason}` : 'prediction not timed: no bundled model (BRAINSEG_BUNDLED_MODEL=none?)');
      return null;
    }
    await importPath(db, input, { volumeImageDir: volumeImageDir(home) });
    const patients = await listPatients(db);
    const wall: number[] = [];
    const own: number[] = [];
    let slices = 0;
    for (let round = 1; round <= options.rounds; round++) {
      options.onStatus?.(`predicting the NIfTI volume with the bundled model (round ${round} of ${options.rounds})…`);
      const started = performance.now();
      const summary = await predictAndStore(db, home, { patients, modelId: bundled.model.id, backend: options.backend });
      wall.push((performance.now() - started) / 1000);
      own.push(summary.seconds);
      slices = summary.slices;
    }
    return { slices, modelId: bundled.model.id, backend: options.backend, seconds: spreadOf(wall), computeSeconds: spreadOf(own), targetSeconds: null };
  } finally {
    await db.destroy();
  }
}

export async function runScannerImportBench(options: ScannerBenchOptions): Promise<ScannerBenchReport> {
  const notes: string[] = [];
  const report: ScannerBenchReport = {
    benchmark: 'scanner-import',
    machine: {
      cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version, loadAverageAtStart: os.loadavg().map((v) => Number(v.toFixed(2))), loadAverageAtEnd: [],
    },
    rounds: options.rounds, source: '', generateSeconds: {}, cases: {}, prediction: null, notes,
  };
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'brainseg-scanner-bench-'));
  try {
    options.onStatus?.('generating the inputs…');
    const source = await readSource(options.dataDir, notes);
    report.source = source.name;
    const inputs: { name: ScannerCaseName; path: string; describe: string; files: number; bytes: number }[] = [];
    let started = performance.now();
    // Only the paths are kept: the written values would swell this process (not measured, but it shares the RAM).
    const { folder: niftiFolder, files: niftiFiles, bytes: niftiBytes } = await writeBratsCase(path.join(scratch, 'nifti'), source);
    report.generateSeconds.nifti = Number(((performance.now() - started) / 1000).toFixed(2));
    inputs.push({ name: 'nifti', path: niftiFolder, describe: 'BraTS-style case: flair, t1, t1ce, t2 int16 240×240×155 .nii.gz + seg', files: niftiFiles.length, bytes: niftiBytes });
    const series: { name: ScannerCaseName; size: number; slices: number; sliceMm: number }[] = [{ name: 'dicom', size: 512, slices: 200, sliceMm: 1 }];
    if (options.large) series.push({ name: 'dicomLarge', size: 512, slices: 400, sliceMm: 0.5 });
    for (const s of series) {
      started = performance.now();
      const { stored: _stored, ...written } = writeDicomSeries(path.join(scratch, s.name), source, { size: s.size, slices: s.slices, sliceMm: s.sliceMm });
      report.generateSeconds[s.name] = Number(((performance.now() - started) / 1000).toFixed(2));
      inputs.push({
        name: s.name, path: written.folder, files: written.files.length, bytes: written.bytes,
        describe: `DICOM MR FLAIR series: ${s.slices} files, ${s.size}×${s.size} unsigned 16-bit, RescaleSlope ${written.slope} / Intercept ${written.intercept}, shuffled names`,
      });
    }

    // Round after round, each case in turn: a slow minute on a shared host then hits every case alike.
    const runs = new Map<ScannerCaseName, ImportRun[]>(inputs.map((i) => [i.name, []]));
    for (let round = 1; round <= options.rounds; round++) {
      for (const input of inputs) {
        options.onStatus?.(`importing ${input.name} (round ${round} of ${options.rounds})…`);
        const home = path.join(scratch, `home-${input.name}-${round}`);
        runs.get(input.name)!.push(await inChild<ImportRun>('import', input.path, home));
        rmSync(home, { recursive: true, force: true });
      }
    }
    for (const input of inputs) {
      const done = runs.get(input.name)!;
      const last = done[done.length - 1]!;
      const importSeconds = spreadOf(done.map((r) => r.importSeconds));
      const peakRssMB = spreadOf(done.map((r) => r.peakRssMB));
      const target = TARGETS[input.name];
      let stages: ScannerCaseResult['stages'] = null;
      try {
        options.onStatus?.(`timing ${input.name}'s import stages…`);
        const home = path.join(scratch, `home-${input.name}-stages`);
        const s = await inChild<StageRun>('stages', input.path, home);
        rmSync(home, { recursive: true, force: true });
        stages = { findSeconds: s.findSeconds, loadSeconds: s.loadSeconds, buildSeconds: s.buildSeconds };
      } catch (error) {
        notes.push(`${input.name}: stages not timed: ${(error as Error).message}`);
      }
      const checks = [
        target.seconds === null ? null : importSeconds.median <= target.seconds,
        target.peakRssMB === null ? null : peakRssMB.max < target.peakRssMB,
      ].filter((c): c is boolean => c !== null);
      report.cases[input.name] = {
        input: input.describe, files: input.files, megabytes: Number((input.bytes / 2 ** 20).toFixed(1)),
        slices: last.slices, lesionSlices: last.lesionSlices, openingSlice: last.openingSlice,
        importSeconds, firstSliceSeconds: spreadOf(done.map((r) => r.firstSliceSeconds)), peakRssMB,
        baselineRssMB: Number(last.baselineRssMB.toFixed(0)), targetSeconds: target.seconds, targetPeakRssMB: target.peakRssMB,
        meetsTarget: checks.length ? checks.every(Boolean) : null, stages,
      };
    }

    if (options.predict) {
      try {
        report.prediction = await timePrediction(niftiFolder, scratch, options, notes);
      } catch (error) {
        notes.push(`prediction not timed: ${(error as Error).message}`);
      }
    }
    report.machine.loadAverageAtEnd = os.loadavg().map((v) => Number(v.toFixed(2)));
    if (report.machine.loadAverageAtStart[0]! > report.machine.cpus * 0.75) {
      notes.push(`the machine was busy when the run started (load average ${report.machine.loadAverageAtStart[0]} on ${report.machine.cpus} CPUs): other work shared the cores`);
    }
    return report;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const fmt = (value: number, digits: number) => value.toFixed(digits);
const spread = (s: Spread, digits: number) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

/** The human table of a scanner-import run. */
export function describeScannerBench(report: ScannerBenchReport, formatTable: (headers: string[], rows: string[][]) => string): string {
  const rows = (Object.entries(report.cases) as [ScannerCaseName, ScannerCaseResult][]).map(([name, c]) => [
    name, `${c.files} files, ${fmt(c.megabytes, 1)} MB`, String(c.slices), spread(c.importSeconds, 2), c.targetSeconds === null ? '—' : `≤ ${c.targetSeconds}`,
    spread(c.firstSliceSeconds, 2), spread(c.peakRssMB, 0), c.targetPeakRssMB === null ? '—' : `< ${c.targetPeakRssMB}`,
    c.meetsTarget === null ? '—' : c.meetsTarget ? 'yes' : 'NO',
  ]);
  const stageLines = (Object.entries(report.cases) as [ScannerCaseName, ScannerCaseResult][])
    .filter(([, c]) => c.stages)
    .map(([name, c]) => `${name} stages: find ${fmt(c.stages!.findSeconds, 2)} s · read volumes ${fmt(c.stages!.loadSeconds, 2)} s · slices + PNG ${fmt(c.stages!.buildSeconds, 2)} s (one run)`);
  const p = report.prediction;
  const lines = [
    `scanner import: ${report.rounds} round${report.rounds === 1 ? '' : 's'}, median (min–max); ${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}; images from ${report.source}`,
    formatTable(['case', 'input', 'slices', 'import s', 'target s', 'first slice s', 'peak RSS MB', 'target MB', 'ok'], rows).trimEnd(),
    ...stageLines,
    p
      ? `prediction, ${p.slices} slices, bundled model ${p.modelId} (${p.backend}): ${spread(p.seconds, 1)} s from call to stored; the compute process's own ${spread(p.computeSeconds, 1)} s`
      : 'prediction: not timed',
    `load average: ${report.machine.loadAverageAtStart.join(' ')} at the start, ${report.machine.loadAverageAtEnd.join(' ')} at the end`,
    ...report.notes.map((n) => `note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}
