#!/usr/bin/env node
// Click → its proposal drawn on screen, in headless Chromium against a running `brainseg serve` whose data folder has
// the bundled automatic and interactive models (click to segment, issue #29; the target is p95 ≤ 300 ms at 2 cores).
// Imports one sample patient, picks the click tool (K), waits for the engine to load, then clicks 30 times on the
// slice shown, 400 ms apart, alternating a positive click inside the image's centre region and a negative one, each
// a new click of the same slice's session (Esc every 6 clicks starts a new one). Prints median, p95 and max from the
// mouse press to the frame that shows the answer, split into press → answer received (the request: WebSocket, the
// host's checks, the engine's forward pass) and answer → frame (the editor, the layer's pixels, Konva's draw).
//
// Usage: BRAINSEG_BUNDLED_MODEL= brainseg --home <empty dir> serve --port 0   (prints the URL), then
//        node dist/bench/click-latency.js <that URL>
import path from 'node:path';
import { launchBenchBrowser, quantileMs as quantile } from './bench-browser.js';
import { SAMPLE_DATA as sample } from './sample-data.js';

/** What the page records as each click's answer is drawn (renderer: the click layer). */
type ClickWindow = Window & { brainsegClickShown?: { at: number }[]; brainsegClickAnswered?: { at: number }[] };

const [url] = process.argv.slice(2);
if (!url) {
  console.error('usage: node dist/bench/click-latency.js <serve URL with token>');
  process.exit(2);
}
const browser = await launchBenchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(url);
await page.getByLabel('Folder path').fill(path.join(sample, 'TCGA_CS_6666_20011109'));
await page.getByRole('button', { name: 'Import', exact: true }).click();
await page.waitForSelector('[data-shown-slice]', { timeout: 60_000 });
await page.waitForTimeout(8000); // the patient's prediction and the thumbnails settle
await page.keyboard.press('k');
const box = (await page.getByTestId('viewer').boundingBox())!;
const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
/** One click at an offset from the viewer's centre: ms from the press to the answer's arrival and to its frame. */
const timeClick = async (dx: number, dy: number, negative: boolean): Promise<{ total: number; answer: number }> => {
  const [shown, answered] = await page.evaluate(() => [((window as ClickWindow).brainsegClickShown ?? []).length, ((window as ClickWindow).brainsegClickAnswered ?? []).length]);
  await page.mouse.move(centre.x + dx, centre.y + dy);
  const pressed = await page.evaluate(() => performance.now());
  await page.mouse.down({ button: negative ? 'right' : 'left' });
  await page.mouse.up({ button: negative ? 'right' : 'left' });
  await page.waitForFunction((n) => ((window as ClickWindow).brainsegClickShown ?? []).length > n, shown, { timeout: 120_000 });
  return page.evaluate(([n, a, t]) => {
    const w = window as ClickWindow;
    return { total: w.brainsegClickShown![n]!.at - t, answer: w.brainsegClickAnswered![a]!.at - t };
  }, [shown, answered, pressed] as const);
};
const warmup = (await timeClick(0, 0, false)).total; // loads the engine, the model and the patient's volume
await page.keyboard.press('Escape');
const timings: { total: number; answer: number }[] = [];
for (let i = 0; i < 30; i++) {
  if (i % 6 === 0) await page.keyboard.press('Escape');
  timings.push(await timeClick(((i * 37) % 80) - 40, ((i * 53) % 80) - 40, i % 3 === 2));
  await page.waitForTimeout(400);
}
await browser.close();
const total = timings.map((t) => t.total);
const answer = timings.map((t) => t.answer);
const draw = timings.map((t) => t.total - t.answer);
console.log(JSON.stringify({
  clicks: timings.length, firstClickMs: Math.round(warmup), medianMs: quantile(total, 0.5), p95Ms: quantile(total, 0.95), maxMs: quantile(total, 1),
  answerMedianMs: quantile(answer, 0.5), answerP95Ms: quantile(answer, 0.95), drawMedianMs: quantile(draw, 0.5), drawP95Ms: quantile(draw, 0.95),
}));
