import { readFileSync } from 'node:fs';

/** The rows of a dataset's `data.csv`, keyed by its `Patient` column (`TCGA_CS_4941`). */
export type ClinicalTable = Map<string, Record<string, string>>;

/** Parses RFC 4180 CSV text (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

/** Reads `data.csv`; a file without a `Patient` column is rejected with a clear message. */
export function readClinicalTable(file: string): ClinicalTable {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const key = header?.indexOf('Patient') ?? -1;
  if (!header || key < 0) throw new Error(`${file} has no "Patient" column`);
  const table: ClinicalTable = new Map();
  for (const cells of rows) {
    const record: Record<string, string> = {};
    header.forEach((name, i) => (record[name] = cells[i] ?? ''));
    table.set(cells[key] ?? '', record);
  }
  return table;
}

/** Finds a case's row: `data.csv` names patients without the scan date (`TCGA_CS_4941` for `TCGA_CS_4941_19960909`). */
export function clinicalRowFor(table: ClinicalTable, caseId: string): Record<string, string> | null {
  const exact = table.get(caseId);
  if (exact) return exact;
  for (const [patient, row] of table) if (patient && caseId.startsWith(`${patient}_`)) return row;
  return null;
}

/** Writes rows back as CSV, quoting where needed, so an exported dataset carries its clinical table. */
export function formatCsv(rows: readonly Record<string, string>[]): string {
  if (rows.length === 0) return '';
  const header = Object.keys(rows[0]!);
  const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return [header, ...rows.map((row) => header.map((name) => row[name] ?? ''))]
    .map((cells) => cells.map(quote).join(','))
    .join('\n')
    .concat('\n');
}
