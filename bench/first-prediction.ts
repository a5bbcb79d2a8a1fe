#!/usr/bin/env node
// Opening a patient → a prediction drawn on the slice on screen (issue #31 item 12: within 2 s), in headless Chromium
// against a running `brainseg serve` whose patients have no stored prediction yet. For each patient in the list: the
// time from the click that opens it to the frame that draws a prediction on the shown slice (its preview, the slice
// predicted alone, comes before the volume's); then ↓ at once, and the time until the next slice shows one (its
// neighbours are predicted right after it). Waits for the patient's stored predictions before opening the next, so
// each open meets an idle predictor. Prints the median, p95 and max of both, and each patient's figures.
//
// Usage: node dist/bench/first-prediction.js --prepare <empty dir>   imports 8 LGG patients and, with Debian's
//          python3-nibabel, a 240×240×155 NIfTI patient made from a real one (the CLI stores no predictions), then
//        brainseg --home <that dir> serve --port 0   (prints the URL; the bundled model is active), then
//        node dist/bench/first-prediction.js <that URL>
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { launchBenchBrowser, quantileMs } from './bench-browser.js';
import { REPO, SAMPLE_DATA as SAMPLE } from './sample-data.js';

const PYTHON = process.env.BRAINSEG_FIXTURE_PYTHON ?? '/usr/bin/python3';
/** Patients of different lengths (20 to 48 slices); the last, the longest, is also the NIfTI volume's source. */
const PATIENTS = [
  'TCGA_CS_6665_20010817', 'TCGA_HT_7602_19951103', 'TCGA_CS_6668_20011025', 'TCGA_DU_7018_19911220', 'TCGA_HT_7473_19970826',
  'TCGA_EZ_7264_20010816', 'TCGA_DU_8163_19961119', 'TCGA_FG_7643_20021104',
];
const NIFTI_CASE = 'BENCH_155';

const brainseg = (home: string, ...args: string[]) =>
  execFileSync(process.execPath, [path.join(REPO, 'bin/brainseg'), '--home', home, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/**
 * A BraTS-sized NIfTI patient (240×240×155, 1 mm) from a real LGG one: its 48 slices (3 mm) interpolated along the
 * slice axis and cropped in plane by nibabel. Returns its folder, or why it could not be made.
 */
async function makeNiftiPatient(dir: string): Promise<string> {
  const source = PATIENTS.at(-1)!;
  const folder = path.join(SAMPLE, source);
  const numbers = readdirSync(folder).map((f) => /_(\d+)\.tif$/.exec(f)?.[1]).filter((n): n is string => n !== undefined).map(Number).sort((a, b) => a - b);
  const raw = path.join(dir, 'raw');
  mkdirSync(raw, { recursive: true });
  const planes: Buffer[][] = [[], [], [], []];
  for (const n of numbers) {
    const image = await sharp(path.join(folder, `${source}_${n}.tif`)).raw().toBuffer({ resolveWithObject: true });
    for (let c = 0; c < 3; c++) planes[c]!.push(Buffer.from(Uint8Array.from({ length: image.info.width * image.info.height }, (_, i) => image.data[i * image.info.channels + c]!)));
    planes[3]!.push(await sharp(path.join(folder, `${source}_${n}_mask.tif`)).extractChannel(0).raw().toBuffer());
  }
  ['t1', 'flair', 't1ce', 'seg'].forEach((name, c) => writeFileSync(path.join(raw, `${name}.u8`), Buffer.concat(planes[c]!)));
  const out = path.join(dir, 'nifti', NIFTI_CASE);
  mkdirSync(out, { recursive: true });
  execFileSync(PYTHON, ['-c', `
import nibabel as nib, numpy as np, sys
raw, out, case, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
z = np.linspace(0, n - 1, 155)
lo = np.floor(z).astype(int); hi = np.minimum(lo + 1, n - 1); f = (z - lo)[:, None, None]
affine = np.diag([-1.0, -1.0, 1.0, 1.0])
for name in ['t1', 'flair', 't1ce', 'seg']:
    a = np.fromfile(f'{raw}/{name}.u8', np.uint8).reshape(n, 256, 256).astype(np.float32)
    v = a[lo] * (1 - f) + a[hi] * f
    v = (v >= 128).astype(np.uint8) if name == 'seg' else np.round(v).astype(np.uint8)
    v = v[:, 8:248, 8:248]                       # 240 x 240 in plane, as BraTS
    img = nib.Nifti1Image(np.ascontiguousarray(v.transpose(2, 1, 0)), affine)   # i = columns, j = rows, k = slices
    img.set_qform(affine, code=1); img.set_sform(affine, code=1)
    nib.save(img, f'{out}/{case}_{name}.nii.gz')
`, raw, out, NIFTI_CASE, String(numbers.length)], { stdio: 'inherit' });
  return out;
}

async function prepare(home: string): Promise<void> {
  for (const caseId of PATIENTS) process.stdout.write(brainseg(home, 'import', path.join(SAMPLE, caseId)));
  try {
    execFileSync(PYTHON, ['-c', 'import nibabel, numpy'], { stdio: 'ignore' });
  } catch {
    console.log(`No NIfTI volume: ${PYTHON} cannot import nibabel and numpy (apt install python3-nibabel).`);
    return;
  }
  const dir = path.join(home, 'bench-nifti-source');
  process.stdout.write(brainseg(home, 'import', await makeNiftiPatient(dir)));
}

/** ms from the open (or key) until a frame draws a prediction on a shown slice other than `after`'s. */
async function timePrediction(page: Page, act: string, caseId: string, previousSlice: string | null): Promise<{ ms: number; caption: string }> {
  return page.evaluate(({ act, caseId, previousSlice }) => new Promise<{ ms: number; caption: string }>((resolve, reject) => {
    const caption = () => document.querySelector('[data-testid="slice-caption"]')?.textContent ?? '';
    const started = performance.now();
    const timer = setTimeout(() => reject(new Error(`no prediction drawn in 120 s: ${caption()}`)), 120_000);
    const onShown = (e: Event) => {
      const text = caption();
      const slice = /slice (\d+) of/.exec(text)?.[1] ?? null;
      if (!text.startsWith(caseId) || !/prediction: model \d+/.test(text) || slice === previousSlice) return;
      clearTimeout(timer);
      window.removeEventListener('brainseg:slice-shown', onShown);
      resolve({ ms: (e as CustomEvent<{ at: number }>).detail.at - started, caption: text });
    };
    window.addEventListener('brainseg:slice-shown', onShown);
    if (act === 'ArrowDown') window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    else (document.querySelector(`tr[data-case-id="${act}"]`) as HTMLElement).click();
  }), { act, caseId, previousSlice });
}

const stats = (values: number[]) => ({ medianMs: quantileMs(values, 0.5), p95Ms: quantileMs(values, 0.95), maxMs: quantileMs(values, 1) });

async function measure(url: string): Promise<void> {
  const browser = await launchBenchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('tr[data-case-id]', { timeout: 60_000 });
  // The warm predictor loads its backend and the active model when serve starts: a user opens a patient after that.
  await page.locator('.compute-device[data-role="prediction"]', { hasNotText: 'chosen when' }).waitFor({ timeout: 120_000 });
  await page.waitForTimeout(5000); // the model itself, loaded after the backend reports
  // The models panel scores the active model on the validation patients, predicting them in the background: those
  // are stored before anyone opens them (reported, not counted), and the others meet an idle predictor.
  await page.waitForFunction(() => !document.querySelector('[data-testid="validation-dice"][data-state="scoring"]'), undefined, { timeout: 600_000 });
  const caseIds = await page.locator('tr[data-case-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')!));
  const rows: { caseId: string; slices: number; firstMs: number; storedAtOpen: boolean; nextSliceMs: number }[] = [];
  for (const caseId of caseIds) {
    const first = await timePrediction(page, caseId, caseId, null);
    const slice = /slice (\d+) of (\d+)/.exec(first.caption)!;
    const next = await timePrediction(page, 'ArrowDown', caseId, slice[1]!);
    // Not a preview at once: the patient's predictions were stored before it was opened (a validation patient).
    const storedAtOpen = !/\(preview/.test(first.caption);
    rows.push({ caseId, slices: Number(slice[2]), firstMs: Math.round(first.ms), storedAtOpen, nextSliceMs: Math.round(next.ms) });
    // The volume's stored predictions, before the next patient: each open meets an idle predictor.
    await page.waitForFunction((id) => new RegExp(`^${id}.*prediction: model \\d+(?! \\(preview)`).test(document.querySelector('[data-testid="slice-caption"]')?.textContent ?? ''), caseId, { timeout: 300_000 });
  }
  await browser.close();
  const opened = rows.filter((r) => !r.storedAtOpen);
  console.log(JSON.stringify({
    patientsWithoutPredictions: opened.length, firstPrediction: stats(opened.map((r) => r.firstMs)), nextSlice: stats(opened.map((r) => r.nextSliceMs)),
    perPatient: rows,
  }, null, 1));
}

const [first, second] = process.argv.slice(2);
if (first === '--prepare' && second) await prepare(path.resolve(second));
else if (first && /^https?:/.test(first)) await measure(first);
else {
  console.error('usage: node dist/bench/first-prediction.js --prepare <empty dir> | <serve URL with token>');
  process.exit(2);
}
