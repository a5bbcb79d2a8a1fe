/** Debian's Chromium (apt install chromium); Playwright's own browser download does not work offline. */
export const CHROMIUM = process.env['BRAINSEG_CHROMIUM'] ?? '/usr/bin/chromium';

/** Root in CI needs --no-sandbox; the closed network needs background networking off. */
export const CHROMIUM_OPTIONS = {
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};
