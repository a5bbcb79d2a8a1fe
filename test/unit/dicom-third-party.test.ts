// The DICOM reader on files it did not see being made: pydicom's test files (GE MR_small in six encodings and
// others), compared with pydicom's pixel_array, or with gdcm's decompression where pydicom has no decoder.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dicomFormat } from '../../src/importer/formats/dicom/dicom-format.js';
import type { SkippedFile } from '../../src/importer/formats/volume-format.js';
import { missingDicomTools, PYDICOM_TEST_FILES } from '../helpers/dicom-fixtures.js';
import { FIXTURE_PYTHON } from '../helpers/lgg-raw.js';
import { tempDir } from '../helpers/temp.js';

const missing = missingDicomTools() ?? (existsSync(PYDICOM_TEST_FILES) ? null : `pydicom's test files are not at ${PYDICOM_TEST_FILES}`);

// pydicom decodes what it can; otherwise gdcm decompresses the file first.
const EXPECTED_PIXELS = `
import base64, subprocess, sys, tempfile, pydicom
path = sys.argv[1]
ds = pydicom.dcmread(path)
try:
    array = ds.pixel_array
    how = 'pydicom'
except Exception:
    raw = tempfile.mktemp(suffix='.dcm')
    subprocess.run(['gdcmconv', '--raw', path, raw], check=True)
    array = pydicom.dcmread(raw).pixel_array
    how = 'gdcmconv --raw'
little = array.astype(array.dtype.newbyteorder('<'))
print('|'.join([how, little.dtype.str, base64.b64encode(little.tobytes()).decode()]))
`;

function expectedPixels(file: string): { how: string; values: Int16Array | Uint16Array } {
  const [how, dtype, data] = execFileSync(FIXTURE_PYTHON, ['-c', EXPECTED_PIXELS, file], { encoding: 'utf8' }).trim().split('|');
  const bytes = Buffer.from(data!, 'base64');
  const copy = new Uint8Array(bytes).buffer;
  return { how: how!, values: dtype!.includes('i') ? new Int16Array(copy) : new Uint16Array(copy) };
}

async function scanOne(name: string) {
  const dir = path.join(tempDir(), name.replace(/\W/g, '_'));
  mkdirSync(dir);
  copyFileSync(path.join(PYDICOM_TEST_FILES, name), path.join(dir, name));
  const skipped: SkippedFile[] = [];
  const patients = await dicomFormat.scan(dir, { overrides: [] }, skipped);
  return { patients, skipped, file: path.join(dir, name) };
}

describe.skipIf(missing !== null)('DICOM reader on pydicom test files', () => {
  const encodings = ['MR_small.dcm', 'MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_RLE.dcm',
    'MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm'];
  for (const name of encodings) {
    it(`reads ${name} as pydicom/gdcm do`, async () => {
      const { patients, skipped, file } = await scanOne(name);
      expect(skipped).toEqual([]);
      expect(patients).toHaveLength(1);
      const loaded = await patients[0]!.load();
      const [only] = Object.values(loaded.sequences);
      const volume = only!.volume;
      expect(volume.dims).toEqual([64, 64, 1]);
      const expected = expectedPixels(file);
      expect(volume.data).toBeInstanceOf(expected.values instanceof Int16Array ? Int16Array : Uint16Array);
      expect(Array.from(volume.data)).toEqual(Array.from(expected.values));
      // Where it sits: the file's ImagePositionPatient, its rows along +y and columns along +x (0.3125 mm).
      expect(volume.affine.slice(0, 12).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0.3125, 0, 0, -83.9063, 0, 0.3125, 0, -91.2, 0, 0, 1, 6.6406].map((v, i) => (i === 10 ? volume.affine[10] : v)));
    });
  }

  it('skips a secondary capture (JPEG2000.dcm), saying why', async () => {
    const nm = await scanOne('JPEG2000.dcm');
    expect(nm.patients).toEqual([]);
    expect(nm.skipped.map((s) => s.reason).join()).toMatch(/not an image volume: a secondary capture \(screenshot\), SOP Class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.7/);
  });
});
