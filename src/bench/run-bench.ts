import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { timeBrushStroke, type EditingTiming } from './editing-bench.js';
import { fileURLToPath } from 'node:url';
import { openCatalog } from '../catalog/db.js';
import { importPath } from '../importer/import.js';
import type { BackendChoice } from '../ml/backends/select-backend.js';
import type { PresetName } from '../ml/config.js';
import { builtScript } from '../util/built-script.js';
import type { PresetTiming } from './unet-bench.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BENCH_ENTRY = builtScript('./bench-entry.js', import.meta.url);
/** The PyTorch reference timing script (needs Debian's python3-torch). */
export const TORCH_SCRIPT = path.join(PACKAGE_ROOT, 'bench', 'torch_unet_bench.py');

/** `brainseg bench --json` output (names fixed: scripts depend on them). */
export interface BenchReport {
  backend: string;
  presets: Partial<Record<PresetName, PresetTiming>>;
  importSlicesPerSecond: number | null;
  reference: { torch: string; threads: number; presets: Partial<Record<PresetName, { trainStepSeconds: number; predictMs: number }>> } | null;
  /** tfjs time ÷ PyTorch time per preset (lower is better; 1 = as fast as PyTorch). */
  ratios: Partial<Record<PresetName, { train: number | null; predict: number | null }>>;
  /** Brush-stroke work per pointer event, by image size ("256", "512"). */
  editing: Record<string, EditingTiming>;
  notes: string[];
}

/** Times one preset in a fresh process. */
function timeInChild(backend: BackendChoice, preset: PresetName, steps: number): Promise<PresetTiming & { backend: string }> {
  return new Promise((resolve) => {
    const child = fork(BENCH_ENTRY, [backend, preset, String(steps)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let settled = false;
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const fail = (error: string) =>
      resolve({ backend, threads: 0, trainStepSeconds: null, trainSecondsPerSlice: null, batchSize: 4, predictMs: null, error });
    child.on('message', (m: { ok: boolean; timing?: PresetTiming & { backend: string }; error?: string }) => {
      settled = true;
      if (m.ok) resolve(m.timing!);
      else fail(m.error ?? 'unknown error');
    });
    child.on('exit', (code, signal) => {
      if (!settled) fail(`the benchmark process died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').pop() ?? ''}`);
    });
  });
}

/** Import throughput on a dataset folder, into a throw-away catalog. */
async function timeImport(dataDir: string): Promise<number> {
  const home = mkdtempSync(path.join(tmpdir(), 'brainseg-bench-'));
  try {
    const db = openCatalog(path.join(home, 'catalog.sqlite'));
    const report = await importPath(db, dataDir);
    db.close();
    return report.slices / report.seconds;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A Python that can import torch: Debian's system python3 first (python3-torch installs there). */
function findTorchPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
      return python;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Where the LGG sample usually is: $BRAINSEG_SAMPLE_DATA, else ../shared beside the repository. */
export function defaultDataDir(): string | null {
  const candidates = [process.env['BRAINSEG_SAMPLE_DATA'], path.join(PACKAGE_ROOT, '..', 'shared', 'data', 'lgg-mri', 'kaggle_3m')];
  return candidates.find((c): c is string => Boolean(c) && existsSync(c!)) ?? null;
}

export interface BenchOptions {
  backend: BackendChoice;
  presets: PresetName[];
  steps: number;
  dataDir: string | null;
  torch: boolean;
  onStatus?: (line: string) => void;
}

/** Runs the whole benchmark: tfjs timings per preset, import throughput, and the PyTorch reference. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const notes: string[] = [];
  const report: BenchReport = { backend: options.backend, presets: {}, importSlicesPerSecond: null, reference: null, ratios: {}, editing: {}, notes };
  options.onStatus?.('timing brush strokes…');
  for (const size of [256, 512]) report.editing[String(size)] = timeBrushStroke(size);
  for (const preset of options.presets) {
    options.onStatus?.(`timing the ${preset} preset on ${options.backend}…`);
    const { backend, ...timing } = await timeInChild(options.backend, preset, options.steps);
    report.backend = backend;
    report.presets[preset] = timing;
  }
  if (options.dataDir) {
    options.onStatus?.(`timing import of ${options.dataDir}…`);
    try {
      report.importSlicesPerSecond = await timeImport(options.dataDir);
    } catch (error) {
      notes.push(`import throughput not measured: ${(error as Error).message}`);
    }
  } else notes.push('import throughput skipped: no sample data (set BRAINSEG_SAMPLE_DATA or pass --data)');

  const python = options.torch ? findTorchPython() : null;
  if (python) {
    options.onStatus?.('timing the PyTorch reference…');
    const args = [TORCH_SCRIPT, '--threads', '2', '--steps', String(options.steps), ...options.presets.flatMap((p) => ['--preset', p])];
    report.reference = JSON.parse(execFileSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 20 })) as BenchReport['reference'];
    for (const preset of options.presets) {
      const mine = report.presets[preset];
      const theirs = report.reference?.presets[preset];
      if (!mine || !theirs) continue;
      report.ratios[preset] = {
        train: mine.trainStepSeconds === null ? null : mine.trainStepSeconds / theirs.trainStepSeconds,
        predict: mine.predictMs === null ? null : mine.predictMs / theirs.predictMs,
      };
    }
  } else if (options.torch) notes.push('PyTorch reference skipped: no python3 with torch (apt-get install python3-torch)');
  return report;
}
