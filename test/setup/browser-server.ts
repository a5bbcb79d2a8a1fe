import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM, CHROMIUM_OPTIONS } from '../helpers/chromium.js';

// Vitest global setup: one headless Chromium for the whole run, which every browser test connects to
// (launchChromium in test/helpers/browser.ts). Starting Chromium costs ~2.5 s of CPU; each test still gets its own
// browser context (cookies, storage, viewport), as a launch of its own gave it. Without Chromium the browser tests
// skip or, under CI, fail (chromiumAvailable), as before.

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's WebSocket endpoint, or null when Chromium is not installed. */
    chromiumEndpoint: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM)) {
    project.provide('chromiumEndpoint', null);
    return async () => undefined;
  }
  const server = await chromium.launchServer(CHROMIUM_OPTIONS);
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return () => server.close();
}
