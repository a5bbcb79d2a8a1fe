import { existsSync } from 'node:fs';
import { evaluateFolder } from '../../services/evaluation.js';
import { evaluateClicks, folderPatients, validationPatients, type ClickEvalReport } from '../../services/interactive-evaluation.js';
import { summarize } from '../../ml/metrics.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs, parsePositiveInt } from '../parse.js';
import { formatTable } from './info.js';
import { parseBackend } from './train.js';

export const usage = 'brainseg eval <path> [--model ID] [--backend B] [--json]   per-volume Dice on a labelled folder\n' +
  '               [--clicks 1,3,5 [--propagate] [--interactive ID]]   and the interactive model\'s simulated clicks (issue #29)\n' +
  '               --validation instead of <path>: the catalog\'s validation patients (with --clicks)';

/** Parses `--clicks 1,3,5`: whole numbers from 1 to 20. */
export function parseClicks(value: string): number[] {
  const clicks = value.split(',').map((v) => Number(v.trim()));
  if (clicks.length === 0 || clicks.some((k) => !Number.isInteger(k) || k < 1 || k > 20)) {
    throw new CliError(`--clicks must list click counts from 1 to 20, e.g. 1,3,5; got "${value}"`, 2);
  }
  return clicks;
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('eval', context.args, {
    model: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' },
    clicks: { type: 'string' }, propagate: { type: 'boolean' }, interactive: { type: 'string' }, validation: { type: 'boolean' },
  });
  if (values.clicks !== undefined) return runClicks(context, values, positionals);
  if (values.propagate || values.interactive || values.validation) throw new CliError('--propagate, --interactive and --validation go with --clicks', 2);
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

/** `eval --clicks`: the usual report of a folder (or the automatic figures of the validation patients), plus the click protocol's. */
async function runClicks(
  context: CommandContext,
  values: { model?: string; backend?: string; json?: boolean; clicks?: string; propagate?: boolean; interactive?: string; validation?: boolean },
  positionals: string[],
): Promise<number> {
  if (values.validation ? positionals.length !== 0 : positionals.length !== 1) throw new CliError(`usage: ${usage}`, 2);
  const folder = positionals[0];
  if (folder !== undefined && !existsSync(folder)) throw new CliError(`${folder} does not exist`);
  const request = {
    modelId: values.model ? parsePositiveInt('--model', values.model) : undefined,
    interactiveModelId: values.interactive ? parsePositiveInt('--interactive', values.interactive) : undefined,
    clicks: parseClicks(values.clicks!),
    propagate: Boolean(values.propagate),
    backend: parseBackend(values.backend),
  };
  const report = await withCatalog(context, async (db) => {
    try {
      if (folder === undefined) {
        const clicks = await evaluateClicks(db, context.home, await validationPatients(db, context.home), request);
        return { ...summarize(clicks.clickPatients.map((p) => p.automaticDice)), ...clicks };
      }
      const usual = await evaluateFolder(db, context.home, folder, { modelId: request.modelId, backend: request.backend });
      const read = await folderPatients(db, folder);
      try {
        return { ...usual, ...(await evaluateClicks(db, context.home, read.patients, request)) };
      } finally {
        await read.dispose();
      }
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError((error as Error).message);
    }
  });
  if (values.json) printJson(context, report);
  else writeClickReport(context, report);
  return 0;
}

function writeClickReport(context: CommandContext, report: ClickEvalReport): void {
  const fixed = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(3));
  const ks = Object.keys(report.clicks);
  context.stdout.write(formatTable(
    ['patient', 'automatic', ...ks.map((k) => `${k} click${k === '1' ? '' : 's'}`), 'propagated'],
    report.clickPatients.map((p) => [p.id, fixed(p.automaticDice), ...ks.map((k) => fixed(p.clicks[k])), fixed(p.propagatedDice)]),
  ));
  context.stdout.write(`Models ${report.model} (automatic) and ${report.interactiveModel} (interactive), ${report.lesionSlices} lesion slices. ` +
    `Lesion-slice Dice: ${fixed(report.automatic.lesionSliceDice)} proposed, ` +
    ks.map((k) => `${fixed(report.clicks[k]!.lesionSliceDice)} after ${k} (${report.clicks[k]!.slicesBelowAutomatic} slices below the proposal)`).join(', ') +
    `. NoC@85 ${report.noc85.toFixed(2)}, NoC@90 ${report.noc90.toFixed(2)}` +
    (report.propagated ? `; propagated from one click: volume Dice ${fixed(report.propagated.volumeDice)}` : '') + '.\n');
}
