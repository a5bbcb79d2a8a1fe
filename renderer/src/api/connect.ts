import type { RendererApi } from '../../../src/contract/index.js';
import { connectWebSocketApi } from './websocket-api.js';

declare global {
  interface Window {
    /** What the Electron preload exposes (electron/preload.cts): the contract's API, nothing more. */
    brainseg?: RendererApi;
  }
}

/** Where the UI runs: the desktop app (native dialogs, menu) or a browser tab on `brainseg serve`. */
export type Shell = 'desktop' | 'browser';

/** The API through the preload in the desktop app, else over the WebSocket of the server that served this page. */
export function connectApi(): { api: RendererApi; shell: Shell } {
  if (window.brainseg) return { api: window.brainseg, shell: 'desktop' };
  const url = new URL('api', window.location.href);
  url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  return { api: connectWebSocketApi(url.toString()), shell: 'browser' };
}
