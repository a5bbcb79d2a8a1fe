// What the benchmarks that drive the app in a browser share: a headless Chromium started as the e2e tests start it,
// and the nearest-rank quantiles they report.
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, without a GPU or background traffic (BRAINSEG_CHROMIUM names another binary). */
export function launchBenchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.BRAINSEG_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The q-quantile (nearest rank) of some values, rounded to ms. */
export function quantileMs(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN);
}
