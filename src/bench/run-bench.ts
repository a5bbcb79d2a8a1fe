import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { timeBrushStroke, type EditingTiming } from './editing-bench.js';
import { fileURLToPath } from 'node:url';
import { openCatalog } from '../catalog/db.js';
import { importPath } from '../importer/import.js';
import type { BackendChoice } from '../ml/backends/backend-choice.js';
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
    const db = await openCatalog(path.join(home, 'catalog.sqlite'));
    const report = await importPath(db, dataDir);
    await db.destroy();
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
  /**
   * Times each preset, then PyTorch, this many times in turn; the report gives medians, and each ratio is the
   * median of the rounds' own ratios. Machine speed drifts (a shared host), and a ratio of two timings taken
   * seconds apart drifts with it; timings taken side by side, round after round, cancel most of it.
   */
  rounds: number;
  dataDir: string | null;
  torch: boolean;
  onStatus?: (line: string) => void;
}

type ReferencePresets = NonNullable<BenchReport['reference']>['presets'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of the rounds' values, or null when a round has none (that preset failed). */
function medianOf(values: (number | null | undefined)[]): number | null {
  return values.some((v) => v === null || v === undefined) ? null : median(values as number[]);
}

/** One round: each preset timed on tfjs, then (when available) in PyTorch. */
export interface BenchRound {
  mine: Partial<Record<PresetName, PresetTiming>>;
  theirs: ReferencePresets | null;
}

/**
 * Fills the report's timings, reference and ratios from the rounds: medians of the timings, and for each ratio
 * the median of the rounds' own ratios (each taken from timings measured side by side).
 */
export function summarizeRounds(report: BenchReport, presets: PresetName[], rounds: BenchRound[]): void {
  for (const preset of presets) {
    const timings = rounds.map((r) => r.mine[preset]).filter((t) => t !== undefined);
    if (timings.length === 0) continue;
    const trainStepSeconds = medianOf(timings.map((t) => t.trainStepSeconds));
    report.presets[preset] = {
      ...timings[timings.length - 1]!,
      trainStepSeconds,
      trainSecondsPerSlice: trainStepSeconds === null ? null : trainStepSeconds / timings[0]!.batchSize,
      predictMs: medianOf(timings.map((t) => t.predictMs)),
    };
    const references = rounds.map((r) => r.theirs?.[preset]).filter((t) => t !== undefined);
    if (!report.reference || references.length !== timings.length) continue;
    report.reference.presets[preset] = {
      ...references[0]!,
      trainStepSeconds: median(references.map((t) => t.trainStepSeconds)),
      predictMs: median(references.map((t) => t.predictMs)),
    };
    report.ratios[preset] = {
      train: medianOf(timings.map((t, i) => (t.trainStepSeconds === null ? null : t.trainStepSeconds / references[i]!.trainStepSeconds))),
      predict: medianOf(timings.map((t, i) => (t.predictMs === null ? null : t.predictMs / references[i]!.predictMs))),
    };
  }
}

/** Runs the whole benchmark: tfjs timings per preset, import throughput, and the PyTorch reference. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const notes: string[] = [];
  const report: BenchReport = { backend: options.backend, presets: {}, importSlicesPerSecond: null, reference: null, ratios: {}, editing: {}, notes };
  options.onStatus?.('timing brush strokes…');
  for (const size of [256, 512]) report.editing[String(size)] = timeBrushStroke(size);

  const python = options.torch ? findTorchPython() : null;
  if (options.torch && !python) notes.push('PyTorch reference skipped: no python3 with torch (apt-get install python3-torch)');
  const rounds: BenchRound[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const label = options.rounds > 1 ? ` (round ${round} of ${options.rounds})` : '';
    const mine: Partial<Record<PresetName, PresetTiming>> = {};
    for (const preset of options.presets) {
      options.onStatus?.(`timing the ${preset} preset on ${options.backend}${label}…`);
      const { backend, ...timing } = await timeInChild(options.backend, preset, options.steps);
      report.backend = backend;
      mine[preset] = timing;
    }
    let theirs: ReferencePresets | null = null;
    if (python) {
      options.onStatus?.(`timing the PyTorch reference${label}…`);
      const args = [TORCH_SCRIPT, '--threads', '2', '--steps', String(options.steps), ...options.presets.flatMap((p) => ['--preset', p])];
      report.reference = JSON.parse(execFileSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 20 })) as BenchReport['reference'];
      theirs = report.reference!.presets;
    }
    rounds.push({ mine, theirs });
  }

  summarizeRounds(report, options.presets, rounds);

  if (options.dataDir) {
    options.onStatus?.(`timing import of ${options.dataDir}…`);
    try {
      report.importSlicesPerSecond = await timeImport(options.dataDir);
    } catch (error) {
      notes.push(`import throughput not measured: ${(error as Error).message}`);
    }
  } else notes.push('import throughput skipped: no sample data (set BRAINSEG_SAMPLE_DATA or pass --data)');
  return report;
}
