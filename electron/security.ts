// The shell's security rules in one place, so they can be read (and tested) together.
import type { WebContents, WebPreferences } from 'electron';

/** The renderer's origin: app files are served by our own protocol, never from file://. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://brainseg`;

/** The page's Content-Security-Policy: our own scripts and styles only, no inline script, no remote anything. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

/** The main window's web preferences: an isolated, sandboxed page with no Node, reaching the core only via the preload. */
export function windowPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Whether a URL is one of our app's own pages. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * Locks a page in: no navigation away from the app, no new windows, no <webview>, no permission prompts.
 * Links to the web are not followed inside the app (nor opened elsewhere): the workstation has no reason to.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  // Subframes navigate without 'will-navigate' (which fires for the main frame only).
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  // Checks (navigator.permissions.query, some APIs before prompting) are answered "no" too, not only requests.
  contents.session.setPermissionCheckHandler(() => false);
}
