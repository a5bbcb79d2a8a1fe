// The user's word on an import, as typed: `flair=FILE` (or `t1c=1.2.840…` for a DICOM series, `skip=7` to leave a
// series out) and `--labels 1,2,4`. Shared by the CLI and the import dialog's request.
import { SERIES_ROLES, type SeriesRole } from '../contract/index.js';
import type { SequenceOverride } from './formats/volume-format.js';

const ROLES: readonly SeriesRole[] = SERIES_ROLES;

/** Parses `role=key`; throws an Error naming what is allowed. */
export function parseSequenceOverride(text: string): SequenceOverride {
  const at = text.indexOf('=');
  const role = text.slice(0, at).trim().toLowerCase() as SeriesRole;
  const key = text.slice(at + 1).trim();
  if (at < 1 || !key || !ROLES.includes(role)) {
    throw new Error(`--sequence takes ROLE=FILE-OR-SERIES with ROLE one of ${ROLES.join(', ')}; got "${text}"`);
  }
  return { role, key };
}

/** Parses `1,2,4` into label values; throws on anything else. */
export function parseLesionLabels(text: string): number[] {
  const values = text.split(',').map((v) => v.trim()).filter(Boolean).map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v))) throw new Error(`--labels takes whole numbers separated by commas, e.g. 1,2,4; got "${text}"`);
  return values;
}
