import { existsSync } from 'node:fs';
import { evaluateFolder } from '../../services/evaluation.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs, parsePositiveInt } from '../parse.js';
import { formatTable } from './info.js';
import { parseBackend } from './train.js';

export const usage = 'brainseg eval <path> [--model ID] [--backend B] [--json]   per-volume Dice on a labelled folder';

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('eval', context.args, {
    model: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError(`usage: ${usage}`, 2);
  const folder = positionals[0]!;
  if (!existsSync(folder)) throw new CliError(`${folder} does not exist`);
  const modelId = values.model ? parsePositiveInt('--model', values.model) : undefined;
  const report = await withCatalog(context, (db) =>
    evaluateFolder(db, context.home, folder, { modelId, backend: parseBackend(values.backend) }).catch((error: Error) => {
      throw new CliError(error.message);
    }),
  );
  if (values.json) printJson(context, report);
  else {
    const fixed = (v: number | null, digits = 3) => (v === null ? '—' : v.toFixed(digits));
    const percent = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)} %`);
    context.stdout.write(formatTable(
      ['patient', 'Dice (volume)', 'Dice (lesion slices)', 'false-positive slices', 'lesion px true', 'predicted', 'volume error'],
      report.patients.map((p) => [p.id, fixed(p.dice), `${fixed(p.lesionSliceDice)} (${p.lesionSlices})`, `${p.falsePositiveSlices} of ${p.lesionFreeSlices}`,
        String(p.truePixels), String(p.predictedPixels), percent(p.volumeError)]),
    ));
    context.stdout.write(`Model ${report.model}: mean Dice ${report.mean.toFixed(3)}, median ${report.median.toFixed(3)} over ${report.patients.length} patients; ` +
      `per-slice Dice on lesion slices ${fixed(report.lesionSliceDice)}; false positives on ${report.falsePositiveSlices} of ${report.lesionFreeSlices} lesion-free slices; ` +
      `mean |volume error| ${report.meanAbsoluteVolumeError === null ? '—' : `${(report.meanAbsoluteVolumeError * 100).toFixed(0)} %`}\n`);
    for (const s of report.skipped) context.stdout.write(`skipped: ${s.file}: ${s.reason}\n`);
  }
  return 0;
}
