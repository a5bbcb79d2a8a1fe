import { summarizePatients } from '../../catalog/patients.js';
import { describeLocation } from '../../catalog/postgres-engine.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs } from '../parse.js';

export const usage = 'brainseg info [--json]            list the catalog: patients, slices, lesions, split, edits';

export async function run(context: CommandContext): Promise<number> {
  const { values } = parseCommandArgs('info', context.args, { json: { type: 'boolean' } });
  const summaries = await withCatalog(context, (db) => summarizePatients(db));
  const patients = summaries.map((p) => ({
    id: p.caseId,
    slices: p.slices,
    lesionSlices: p.lesionSlices,
    split: p.split,
    editedSlices: p.editedSlices,
    approvedSlices: p.approvedSlices,
  }));
  if (values.json) {
    printJson(context, { home: context.home.root, patients });
    return 0;
  }
  context.stdout.write(`Catalog: ${describeLocation(context.home.catalog)}\n`);
  if (patients.length === 0) {
    context.stdout.write('No patients yet. Import some with: brainseg import <folder>\n');
    return 0;
  }
  const rows = patients.map((p) => [p.id, String(p.slices), String(p.lesionSlices), p.split, String(p.editedSlices)]);
  context.stdout.write(formatTable(['patient', 'slices', 'lesion', 'split', 'edited'], rows));
  const total = patients.reduce((sum, p) => sum + p.slices, 0);
  context.stdout.write(`${patients.length} patients, ${total} slices\n`);
  return 0;
}

/** Left-aligns text columns and right-aligns numeric ones. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = header.map((_, i) => rows.every((r) => /^\d+$/.test(r[i]!)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
