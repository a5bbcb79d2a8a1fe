#!/usr/bin/env node
// Key press → next slice on screen, in headless Chromium against a running `brainseg serve` (idle machine for
// figures worth quoting). Imports one sample patient into the served data folder, then presses ↓/↑ 40 times,
// 300 ms apart, and prints the median and p90 from the key event to the frame that shows the new slice.
//
// Usage: brainseg --home <empty dir> serve --port 0   (prints the URL), then
//        node dist/bench/slice-switch.js <that URL> [--rapid]
import path from 'node:path';
import { launchBenchBrowser } from './bench-browser.js';
import { SAMPLE_DATA as sample } from './sample-data.js';

const [url, mode] = process.argv.slice(2);
if (!url) {
  console.error('usage: node dist/bench/slice-switch.js <serve URL with token> [--rapid]');
  process.exit(2);
}
const browser = await launchBenchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(url);
await page.getByLabel('Folder path').fill(path.join(sample, 'TCGA_HT_7680_19970202'));
await page.getByRole('button', { name: 'Import', exact: true }).click();
await page.waitForSelector('[data-shown-slice]', { timeout: 60_000 });
await page.waitForTimeout(3000); // thumbnails and prefetch settle
await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
const latencies: number[] = [];
for (let i = 0; i < 40; i++) {
  const key = Math.floor(i / 6) % 2 === 0 ? 'ArrowDown' : 'ArrowUp';
  latencies.push(await page.evaluate((key) => new Promise<number>((resolve) => {
    const pressed = performance.now();
    window.addEventListener('brainseg:slice-shown', (e) => resolve((e as CustomEvent<{ at: number }>).detail.at - pressed), { once: true });
    window.dispatchEvent(new KeyboardEvent('keydown', { key }));
  }), key));
  if (mode !== '--rapid') await page.waitForTimeout(300);
}
await browser.close();
latencies.sort((a, b) => a - b);
console.log(JSON.stringify({ presses: latencies.length, medianMs: latencies[20], p90Ms: latencies[36], maxMs: latencies[39] }));
