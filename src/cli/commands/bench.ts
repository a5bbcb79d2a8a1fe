import { existsSync } from 'node:fs';
import { defaultDataDir, runBench, type BenchReport } from '../../bench/run-bench.js';
import { describeScannerBench, runScannerImportBench } from '../../bench/scanner-import-bench.js';
import type { PresetName } from '../../ml/config.js';
import { CliError } from '../cli-error.js';
import { printJson, type CommandContext } from '../context.js';
import { parseCommandArgs, parsePositiveInt } from '../parse.js';
import { formatTable } from './info.js';
import { parseBackend } from './train.js';

export const usage =
  'brainseg bench [--json] [--preset fast|full] [--backend B] [--steps N] [--rounds N] [--data DIR] [--no-torch]\n' +
  '                                   time training steps, prediction, import and brush strokes; compare with PyTorch\n' +
  '                                   (--rounds N: time both N times in turn and report medians)\n' +
  '  brainseg bench --import [--rounds N] [--large] [--no-predict] [--backend B] [--data DIR] [--json]\n' +
  '                                   scanner import: generate a BraTS NIfTI case (4 × 240×240×155 int16) and a 200-file\n' +
  '                                   512×512 16-bit DICOM series, time their import (target 2 s, 3 s), the first drawn\n' +
  '                                   slice, peak RSS and the bundled model\'s prediction of the 155 slices (default 3\n' +
  '                                   rounds; --large adds a 512×512×400 series, peak RSS target 1 GB; --data: the LGG\n' +
  '                                   sample a patient is taken from, else a synthetic head)';

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('bench', context.args, {
    json: { type: 'boolean' }, preset: { type: 'string' }, backend: { type: 'string' }, steps: { type: 'string' },
    rounds: { type: 'string' }, data: { type: 'string' }, 'no-torch': { type: 'boolean' },
    import: { type: 'boolean' }, large: { type: 'boolean' }, 'no-predict': { type: 'boolean' },
  });
  if (positionals.length) throw new CliError(`usage: ${usage}`, 2);
  if ((values.large || values['no-predict']) && !values.import) throw new CliError('--large and --no-predict go with --import', 2);
  if (values.data && !existsSync(values.data)) throw new CliError(`--data ${values.data} does not exist`, 2);
  if (values.import) {
    if (values.preset || values.steps || values['no-torch']) throw new CliError('--preset, --steps and --no-torch do not apply to --import', 2);
    const report = await runScannerImportBench({
      rounds: values.rounds ? atLeastOne('--rounds', values.rounds) : 3,
      large: Boolean(values.large),
      dataDir: values.data ?? defaultDataDir(),
      backend: parseBackend(values.backend),
      predict: !values['no-predict'],
      onStatus: values.json ? undefined : (line) => context.stderr.write(`${line}\n`),
    });
    if (values.json) printJson(context, report);
    else context.stdout.write(describeScannerBench(report, formatTable));
    return 0;
  }
  // tiny is a smoke-test network, not something to benchmark against PyTorch.
  if (values.preset && values.preset !== 'fast' && values.preset !== 'full') throw new CliError('--preset must be fast or full', 2);
  const report = await runBench({
    backend: parseBackend(values.backend),
    presets: values.preset ? [values.preset as PresetName] : ['fast', 'full'],
    steps: values.steps ? atLeastOne('--steps', values.steps) : 3,
    rounds: values.rounds ? atLeastOne('--rounds', values.rounds) : 1,
    dataDir: values.data ?? defaultDataDir(),
    torch: !values['no-torch'],
    onStatus: values.json ? undefined : (line) => context.stderr.write(`${line}\n`),
  });
  if (values.json) printJson(context, report);
  else context.stdout.write(describeBench(report));
  return 0;
}

function atLeastOne(name: string, value: string): number {
  const n = parsePositiveInt(name, value);
  if (n < 1) throw new CliError(`${name} must be at least 1`, 2);
  return n;
}

const fmt = (value: number | null | undefined, digits: number) => (value === null || value === undefined ? '—' : value.toFixed(digits));

/** The human table of a benchmark run. */
export function describeBench(report: BenchReport): string {
  const rows = (Object.keys(report.presets) as PresetName[]).map((preset) => {
    const t = report.presets[preset]!;
    const ref = report.reference?.presets[preset];
    const ratio = report.ratios[preset];
    return [
      preset, fmt(t.trainStepSeconds, 2), fmt(t.trainSecondsPerSlice, 3), fmt(t.predictMs, 1),
      fmt(ref?.trainStepSeconds, 2), fmt(ref?.predictMs, 1), ratio?.train ? `${fmt(ratio.train, 1)}×` : '—',
      ratio?.predict ? `${fmt(ratio.predict, 2)}×` : '—', t.error ?? '',
    ];
  });
  const lines = [
    `backend: ${report.backend}${report.reference ? `; reference: PyTorch ${report.reference.torch}, ${report.reference.threads} threads` : ''}`,
    formatTable(['preset', 'step s', 's/slice', 'predict ms', 'torch step s', 'torch ms', 'train ratio', 'predict ratio', 'error'], rows).trimEnd(),
    `import: ${report.importSlicesPerSecond === null ? '—' : `${report.importSlicesPerSecond.toFixed(0)} slices/s`}`,
    ...Object.entries(report.editing).map(([size, t]) => `brush stroke at ${size}²: ${t.meanMs.toFixed(2)} ms per pointer event (p95 ${t.p95Ms.toFixed(2)}, max ${t.maxMs.toFixed(2)}; budget 16)`),
    ...report.notes.map((n) => `note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}
