#!/usr/bin/env node
/* global window -- the functions passed to page.evaluate run in the page */
// The README's click-to-segment sequence (issue #29): a real sample slice where the shipped automatic model misses
// part of the lesion, then the shipped interactive model's proposal after click 1 and after click 2, each placed
// as `brainseg eval --clicks` places them (the interior of the largest error region, src/ml/interactive/clicks.ts).
// Drives `brainseg serve` in headless Chromium on a fresh data folder (both shipped models registered) and writes
// docs/screenshots/click-fix-{0,1,2}.png, printing each slice's Dice against the sample's reference mask.
//
// Usage: npm run build && node scripts/click-fix-screenshots.mjs [case id]   (default TCGA_CS_6666_20011109)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const root = path.resolve(import.meta.dirname, '..');
const core = (module) => import(path.join(root, 'dist/src', module));
const { openCatalog } = await core('catalog/db.js');
const { activeModelId } = await core('catalog/models.js');
const { listPatients } = await core('catalog/patients.js');
const { listSlices } = await core('catalog/slices.js');
const { findPrediction } = await core('catalog/predictions.js');
const { nextClick } = await core('ml/interactive/clicks.js');
const { dice } = await core('ml/metrics.js');
const { decodeWire } = await core('contract/wire.js');

const caseId = process.argv[2] ?? 'TCGA_CS_6666_20011109';
const sample = process.env.BRAINSEG_SAMPLE_DATA ?? path.resolve(root, '../shared/data/lgg-mri/kaggle_3m');
const out = path.join(root, 'docs/screenshots');
const home = mkdtempSync(path.join(os.tmpdir(), 'brainseg-click-shots-'));

/** The sample's reference mask of a slice (0/1). */
const reference = async (number) =>
  new Uint8Array(await sharp(path.join(sample, caseId, `${caseId}_${number}_mask.tif`)).extractChannel(0).raw().toBuffer()).map((v) => (v > 127 ? 1 : 0));

const serve = spawn(path.join(root, 'bin/brainseg'), ['--home', home, 'serve', '--port', '0'], { env: { ...process.env, BRAINSEG_BUNDLED_MODEL: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let text = '';
  serve.stdout.on('data', (chunk) => {
    text += chunk;
    const found = /Open: (\S+)/.exec(text);
    if (found) resolve(found[1]);
  });
  serve.on('exit', (code) => reject(new Error(`brainseg serve exited (${code})`)));
});
const browser = await chromium.launch({ executablePath: process.env.BRAINSEG_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 }); // crisp at README size
  const answers = [];
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
    const result = decodeWire(String(payload)).result;
    if (result?.clicksUsed !== undefined && result.mask) answers.push(result);
  }));
  await page.goto(url);
  await page.getByLabel('Folder path').fill(path.join(sample, caseId));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.waitForSelector('[data-shown-slice]', { timeout: 60_000 });

  // The slice: the lesion slice (≥ 200 reference pixels) where the automatic model misses the most lesion.
  const db = await openCatalog(path.join(home, 'catalog.sqlite'));
  const [patient] = await listPatients(db);
  const slices = await listSlices(db, patient.id);
  const modelId = await activeModelId(db);
  for (let i = 0; i < 600 && (await Promise.all(slices.map((s) => findPrediction(db, s.id, modelId)))).some((p) => !p); i++) await page.waitForTimeout(500);
  let chosen = null;
  for (const slice of slices) {
    const truth = await reference(slice.number);
    const automatic = (await findPrediction(db, slice.id, modelId)).probabilities.map((p) => (p >= 128 ? 1 : 0));
    const missed = truth.reduce((n, v, i) => n + (v && !automatic[i] ? 1 : 0), 0);
    if (truth.reduce((n, v) => n + v, 0) >= 200 && (!chosen || missed > chosen.missed)) chosen = { slice, truth, automatic, missed };
  }
  await db.destroy();
  if (!chosen || chosen.missed < 50) throw new Error(`the automatic model misses no lesion worth showing in ${caseId}: try another case`);
  const { slice, truth, automatic } = chosen;

  const caption = () => page.getByTestId('slice-caption').textContent();
  for (let i = 0; i < 200; i++) {
    const shown = Number(/slice (\d+) of/.exec(await caption())?.[1]);
    if (shown === slice.number) break;
    await page.keyboard.press(shown < slice.number ? 'ArrowDown' : 'ArrowUp');
    await page.waitForTimeout(150);
  }
  for (let i = 0; i < 120 && !new RegExp(`slice ${slice.number} of.*prediction: model \\d+(?! \\(preview)`).test(await caption()); i++) await page.waitForTimeout(500);

  /** Where an image pixel's centre is on the page. */
  const pagePoint = (x, y) => page.evaluate(({ x, y }) => {
    const node = window.Konva.stages[0].findOne('.image');
    const box = node.getStage().container().getBoundingClientRect();
    return { x: box.left + node.x() + (x + 0.5) * node.scaleX(), y: box.top + node.y() + (y + 0.5) * node.scaleX() };
  }, { x, y });
  // The lesion and 40 pixels around it, on the page.
  const xs = [];
  const ys = [];
  truth.forEach((v, i) => v && (xs.push(i % slice.width), ys.push(Math.floor(i / slice.width))));
  const from = await pagePoint(Math.max(0, Math.min(...xs) - 40), Math.max(0, Math.min(...ys) - 40));
  const to = await pagePoint(Math.min(slice.width - 1, Math.max(...xs) + 40), Math.min(slice.height - 1, Math.max(...ys) + 40));
  const shot = (n) => page.screenshot({ path: path.join(out, `click-fix-${n}.png`), clip: { x: from.x, y: from.y, width: to.x - from.x, height: to.y - from.y } });

  await page.waitForTimeout(1000);
  await shot(0);
  const report = [{ step: 'automatic model', dice: dice(automatic, truth) }];
  await page.keyboard.press('k');
  let mask = automatic;
  const clicks = [];
  for (const n of [1, 2]) {
    const click = nextClick(mask, truth, slice.width, slice.height);
    clicks.push(click);
    const at = await pagePoint(click.x, click.y);
    const shown = await page.evaluate(() => (window.brainsegClickShown ?? []).length);
    await page.mouse.click(at.x, at.y, { button: click.positive ? 'left' : 'right' });
    for (let i = 0; i < 600 && !answers.some((a) => a.clicksUsed === n); i++) await page.waitForTimeout(200);
    await page.waitForFunction((k) => (window.brainsegClickShown ?? []).length > k, shown, { timeout: 60_000 });
    mask = answers.find((a) => a.clicksUsed === n).mask;
    await page.waitForTimeout(300);
    await shot(n);
    report.push({ step: `after click ${n}`, click, dice: dice(mask, truth) });
  }
  console.log(JSON.stringify({ caseId, slice: slice.number, steps: report.map((r) => ({ ...r, dice: Math.round(r.dice * 1000) / 1000 })) }, null, 1));
} finally {
  await browser.close();
  serve.kill();
  rmSync(home, { recursive: true, force: true });
}
