import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import type { Rgb } from '../../src/editing/overlays.js';
import { inject } from 'vitest';
import { CHROMIUM, CHROMIUM_OPTIONS } from './chromium.js';
import { REPO_ROOT } from './sample-data.js';

/** Where end-to-end tests leave screenshots and timings for a human to look at (git-ignored). */
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

/**
 * Whether the browser tests can run. In CI (`CI=true`) a missing Chromium is an error, so the suite cannot go
 * green by skipping; on a developer machine without it they are skipped with a message saying why.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI']) throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs the Debian package "chromium"`);
  console.warn(`SKIPPED browser tests: no Chromium at ${CHROMIUM} (apt install chromium, or set BRAINSEG_CHROMIUM)`);
  return false;
}

/**
 * A browser for one test file: a connection to the run's shared Chromium (test/setup/browser-server.ts), whose
 * `close()` ends the connection and its pages, or a Chromium of its own when the run has none.
 */
export function launchChromium(): Promise<Browser> {
  const endpoint = inject('chromiumEndpoint');
  return endpoint ? chromium.connect(endpoint) : chromium.launch(CHROMIUM_OPTIONS);
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** A running `brainseg serve` child and the URL (with its session token) that it printed. */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `brainseg serve` on a free loopback port for one data folder and waits for its URL. */
export function startServe(home: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/brainseg'), '--home', home, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Open: (http\S+)/.exec(output)?.[1];
      if (url) resolve({ url, child, output: () => output, stop });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`brainseg serve exited (${code}) before printing its URL:\n${output}`)));
  });
}

/** A served workstation open in headless Chromium. */
export interface OpenWorkstation {
  serve: ServeProcess;
  browser: Browser;
  page: Page;
  /** Closes the browser and stops the server. */
  close(): Promise<void>;
}

/** Starts `brainseg serve` for a data folder and opens its page at a viewport size. */
export async function openWorkstation(home: string, viewport: { width: number; height: number }, env: NodeJS.ProcessEnv = {}): Promise<OpenWorkstation> {
  const serve = await startServe(home, [], env);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  await page.goto(serve.url);
  return {
    serve, browser, page,
    close: async () => {
      await browser.close();
      await serve.stop();
    },
  };
}

/** Pixels of the viewer's screenshot within ±12 of an overlay colour: MRI greys never are. */
export async function countViewerColour(page: Page, [r, g, b]: Rgb): Promise<number> {
  const png = await page.getByTestId('viewer').screenshot();
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if (Math.abs(data[i]! - r) <= 12 && Math.abs(data[i + 1]! - g) <= 12 && Math.abs(data[i + 2]! - b) <= 12) count++;
  }
  return count;
}

/** The viewer's caption ("TCGA_… · slice 12 of 20 · lesion …"). */
export async function sliceCaption(page: Page): Promise<string> {
  return (await page.getByTestId('slice-caption').textContent()) ?? '';
}

/**
 * The caption once the shown slice's stored prediction by a model is drawn (not the preview of the slice alone that
 * comes first when a patient is opened unpredicted); `caseId` also requires the patient.
 */
export function storedPredictionCaption(modelId: number | string, caseId = ''): RegExp {
  return new RegExp(`${caseId}.*prediction: model ${modelId}(?! \\(preview)`);
}

/** The slice number shown in the caption. */
export async function shownSliceNumber(page: Page): Promise<number> {
  return Number(/slice (\d+) of/.exec(await sliceCaption(page))?.[1]);
}
