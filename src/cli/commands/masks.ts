import { readFile } from 'node:fs/promises';
import type { CatalogDb } from '../../catalog/db.js';
import { findMaskVersion, listMaskVersions, readCurrentMask, readMaskBitmap, saveMaskVersion } from '../../catalog/masks.js';
import { findPatientByCaseId } from '../../catalog/patients.js';
import { findSlice } from '../../catalog/slices.js';
import type { BinaryMask, Slice } from '../../catalog/types.js';
import { binarize, decodeImage } from '../../imaging/decode.js';
import { writeMaskFile } from '../../imaging/mask-file.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs, parsePositiveInt } from '../parse.js';

export const usage =
  'brainseg masks <patient> <slice> [--json] [--save out.png [--version ID]] [--from in.png]\n' +
  '                                   list a slice\'s mask versions; read one out or write a manual one in';

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('masks', context.args, {
    json: { type: 'boolean' },
    save: { type: 'string' },
    from: { type: 'string' },
    version: { type: 'string' },
  });
  if (positionals.length !== 2) throw new CliError(`usage: ${usage}`, 2);
  const [caseId, sliceArg] = positionals as [string, string];
  const sliceNumber = parsePositiveInt('slice', sliceArg);

  return withCatalog(context, async (db) => {
    const slice = await requireSlice(db, caseId, sliceNumber);
    if (values.from) {
      const mask = await readMaskPng(values.from, slice);
      const version = await saveMaskVersion(db, slice.id, mask, 'manual', { operation: 'file' });
      if (!values.json) context.stdout.write(`Saved manual version ${version.id} (${version.pixels} pixels).\n`);
    }
    if (values.save) {
      const mask = values.version ? await readVersion(db, slice, values.version) : await readCurrentMask(db, slice.id, slice.width, slice.height);
      await writeMaskFile(mask, values.save, 'png');
      if (!values.json) context.stdout.write(`Wrote ${values.save}.\n`);
    }
    const versions = (await listMaskVersions(db, slice.id)).map(({ id, source, createdAt, pixels, operation, author, clicks, box }) => ({ id, source, createdAt, pixels, operation, author, clicks, box }));
    if (values.json) printJson(context, { versions });
    else if (!values.from && !values.save) {
      if (versions.length === 0) context.stdout.write('No mask versions for this slice.\n');
      for (const v of versions) context.stdout.write(`${v.id}\t${v.source}\t${v.operation ?? '-'}\t${v.author ?? '-'}\t${v.createdAt}\t${v.pixels} px${v.clicks ? `\t${v.clicks.length} clicks` : ''}${v.box ? `\tbox ${v.box.width}×${v.box.height} at (${v.box.x}, ${v.box.y})` : ''}\n`);
    }
    return 0;
  });
}

async function requireSlice(db: CatalogDb, caseId: string, number: number): Promise<Slice> {
  const patient = await findPatientByCaseId(db, caseId);
  if (!patient) throw new CliError(`no patient ${caseId} in the catalog (see 'brainseg info')`);
  const slice = await findSlice(db, patient.id, number);
  if (!slice) throw new CliError(`patient ${caseId} has no slice ${number}`);
  return slice;
}

async function readVersion(db: CatalogDb, slice: Slice, idArg: string): Promise<BinaryMask> {
  const version = await findMaskVersion(db, parsePositiveInt('--version', idArg));
  if (!version || version.sliceId !== slice.id) throw new CliError(`mask version ${idArg} does not belong to this slice`);
  return readMaskBitmap(db, version.id);
}

async function readMaskPng(file: string, slice: Slice): Promise<BinaryMask> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const image = await decodeImage(bytes).catch((error: Error) => {
    throw new CliError(`${file}: ${error.message}`);
  });
  if (image.width !== slice.width || image.height !== slice.height) {
    throw new CliError(`${file} is ${image.width}×${image.height} but the slice is ${slice.width}×${slice.height}`);
  }
  return { width: image.width, height: image.height, data: binarize(image) };
}
