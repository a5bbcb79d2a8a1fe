import { existsSync } from 'node:fs';
import path from 'node:path';
import { volumeImageDir } from '../../home.js';
import { importPath, type ImportReport } from '../../importer/import.js';
import { parseLesionLabels, parseSequenceOverride } from '../../importer/sequence-options.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs } from '../parse.js';
import { TerminalProgress } from '../progress.js';

export const usage =
  'brainseg import <path> [--sequence ROLE=FILE|SERIES]... [--labels 1,2,4] [--json]   import LGG slices, NIfTI or DICOM';

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('import', context.args, {
    json: { type: 'boolean' },
    sequence: { type: 'string', multiple: true },
    labels: { type: 'string' },
  });
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new CliError(`usage: ${usage}`, 2);
  if (!existsSync(target)) throw new CliError(`no such folder: ${path.resolve(target)}`);
  let overrides, lesionLabels;
  try {
    overrides = (values.sequence ?? []).map(parseSequenceOverride);
    lesionLabels = values.labels ? parseLesionLabels(values.labels) : null;
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }

  const progress = new TerminalProgress(context.stderr);
  const report = await withCatalog(context, (db) =>
    importPath(db, target, {
      onProgress: (p) => progress.update(p.done, p.total, p.patient),
      volumeImageDir: volumeImageDir(context.home),
      overrides,
      lesionLabels,
    }),
  );
  progress.finish();

  if (values.json) printJson(context, report);
  else context.stdout.write(describeImport(report));
  // Re-importing a folder that is already catalogued is a success: nothing was lost and nothing needed doing.
  const nothingUsable = report.slices === 0 && report.unchanged === 0;
  return nothingUsable ? 1 : 0;
}

/** The human summary of an import run. */
export function describeImport(report: ImportReport): string {
  const lines: string[] = [];
  if (report.slices === 0 && report.unchanged > 0 && report.changed.length === 0) {
    lines.push(`Nothing new: all ${report.unchanged} slices are already in the catalog, unchanged.`);
  } else {
    lines.push(
      `Imported ${report.patients} new patients, ${report.slices} slices (${report.lesionSlices} with a lesion), ` +
        `${report.masks} masks in ${report.seconds.toFixed(1)} s.`,
    );
    if (report.unchanged) lines.push(`${report.unchanged} slices were already in the catalog, unchanged.`);
  }
  for (const s of report.series) lines.push(`${s.caseId}: ${s.label} → ${s.role} (${s.reason})`);
  for (const w of report.warnings) lines.push(`warning: ${w.caseId}: ${w.message}`);
  for (const item of report.changed) lines.push(`changed: ${item.file}: ${item.reason}`);
  for (const item of report.skipped) lines.push(`skipped: ${item.file}: ${item.reason}`);
  if (report.slices === 0 && report.unchanged === 0) lines.push('Nothing could be imported.');
  return `${lines.join('\n')}\n`;
}
