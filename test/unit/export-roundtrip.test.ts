import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { readCurrentMask } from '../../src/catalog/masks.js';
import { listPatients } from '../../src/catalog/patients.js';
import { listSlices } from '../../src/catalog/slices.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const PATIENTS = ['TCGA_CS_6667_20011105', 'TCGA_DU_7294_19890104'];

/** Every slice of a catalog: case id, number, image hash, and the current mask's pixels. */
async function snapshot(home: string) {
  const db = await openCatalog(path.join(home, 'catalog.sqlite'));
  const rows = [];
  for (const p of await listPatients(db)) {
    for (const s of await listSlices(db, p.id)) {
      rows.push({
        caseId: p.caseId,
        clinical: p.clinical,
        number: s.number,
        hash: s.contentHash,
        hasLesion: s.hasLesion,
        mask: Buffer.from((await readCurrentMask(db, s.id, s.width, s.height)).data).toString('base64'),
      });
    }
  }
  await db.destroy();
  return rows;
}

describe('export', () => {
  it('writes the dataset layout, and the exported folder imports back unchanged, edits included', async () => {
    const home = tempDir();
    await runCliJson(home, ['import', makeSampleSubset(path.join(tempDir(), 'root'), PATIENTS)]);

    // A manual edit must survive the round trip: clear slice 10 of the first patient.
    const empty = path.join(tempDir(), 'empty.png');
    await sharp(Buffer.alloc(256 * 256), { raw: { width: 256, height: 256, channels: 1 } }).png().toFile(empty);
    expect((await runCli(home, ['masks', PATIENTS[0]!, '10', '--from', empty])).code).toBe(0);

    const out = path.join(tempDir(), 'exported');
    const exported = await runCliJson<{ patients: number; masks: number; skipped: unknown[] }>(home, ['export', out]);
    expect(exported.code).toBe(0);
    expect(exported.json).toMatchObject({ patients: 2, skipped: [] });
    expect(readdirSync(out).sort()).toEqual([...PATIENTS, 'data.csv'].sort());
    const names = readdirSync(path.join(out, PATIENTS[0]!));
    expect(names).toContain(`${PATIENTS[0]}_10_mask.tif`);
    expect(names.filter((n) => n.endsWith('_mask.tif'))).toHaveLength(names.length / 2);
    const mask = await sharp(path.join(out, PATIENTS[0]!, `${PATIENTS[0]}_10_mask.tif`)).metadata();
    expect([mask.format, mask.width, mask.height, mask.channels]).toEqual(['tiff', 256, 256, 1]);
    expect(readFileSync(path.join(out, 'data.csv'), 'utf8').split('\n')[0]).toMatch(/^Patient,RNASeqCluster/);

    const reimported = tempDir();
    expect((await runCliJson(reimported, ['import', out])).json).toMatchObject({ patients: 2, skipped: [] });
    const original = await snapshot(home);
    const roundTripped = await snapshot(reimported);
    expect(roundTripped).toEqual(original);
    expect(original.find((s) => s.caseId === PATIENTS[0] && s.number === 10)!.hasLesion).toBe(false);
  });

  it('exports one patient with --patient, and names an unknown one', async () => {
    const home = tempDir();
    await runCliJson(home, ['import', makeSampleSubset(path.join(tempDir(), 'root'), PATIENTS)]);
    const out = path.join(tempDir(), 'one');
    expect((await runCli(home, ['export', out, '--patient', PATIENTS[1]!])).code).toBe(0);
    expect(existsSync(path.join(out, PATIENTS[0]!))).toBe(false);
    expect(readdirSync(path.join(out, PATIENTS[1]!)).length).toBeGreaterThan(0);
    const unknown = await runCli(home, ['export', out, '--patient', 'NOBODY']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no patient NOBODY/);
  });
});

describe('export never destroys by one click', () => {
  it('refuses the folder the originals were imported from, unless told to overwrite them', async () => {
    // A writable copy of one patient, imported in place: exporting to its dataset folder would replace its masks.
    const dataset = tempDir();
    const source = makeSampleSubset(tempDir(), [PATIENTS[0]!]);
    cpSync(path.join(source, PATIENTS[0]!), path.join(dataset, PATIENTS[0]!), { recursive: true, dereference: true });
    const home = tempDir();
    expect((await runCli(home, ['import', dataset])).code).toBe(0);
    const maskFile = path.join(dataset, PATIENTS[0]!, `${PATIENTS[0]}_10_mask.tif`);
    const before = readFileSync(maskFile);
    const refused = await runCli(home, ['export', dataset]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/holds the imported originals of 1 patient\(s\).*--overwrite-originals/s);
    expect(readFileSync(maskFile).equals(before)).toBe(true);
    const confirmed = await runCli(home, ['export', dataset, '--overwrite-originals']);
    expect(confirmed.code, confirmed.stderr).toBe(0);
  });

  it('merges into an existing data.csv: rows of patients it did not export stay', async () => {
    const home = tempDir();
    expect((await runCli(home, ['import', makeSampleSubset(tempDir(), PATIENTS)])).code).toBe(0);
    const out = tempDir();
    writeFileSync(path.join(out, 'data.csv'), 'Patient,RNASeqCluster\nTCGA_XX_9999,7\n');
    expect((await runCli(home, ['export', out, '--patient', PATIENTS[0]!])).code).toBe(0);
    const rows = readFileSync(path.join(out, 'data.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^Patient,/);
    expect(rows.some((r) => r.startsWith('TCGA_XX_9999,'))).toBe(true);
    expect(rows.some((r) => r.startsWith(PATIENTS[0]!.split('_').slice(0, 3).join('_')))).toBe(true);
  });

  it('answers at once with a reason for a folder it cannot create (no endless mkdir under /proc)', async () => {
    const home = tempDir();
    expect((await runCli(home, ['import', makeSampleSubset(tempDir(), [PATIENTS[0]!])])).code).toBe(0);
    const run = await runCli(home, ['export', '/proc/brainseg-export-test']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot create the folder \/proc\/brainseg-export-test/);
  });
});
