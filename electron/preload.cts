// The page's only door to the core: two named functions on window.brainseg, typed against the API contract.
// The page never sees ipcRenderer. Sandboxed preloads are CommonJS and may load nothing but Electron's own
// modules, so the event names are listed here and checked against the contract at compile time.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, EventPayloads, RendererApi, RequestArgs, RequestName, RequestResults } from '../src/contract/index.js';

const EVENTS = [
  'import:progress', 'training:progress', 'training:done', 'predictions:progress', 'predictions:preview', 'predictions:done', 'predictions:failed',
  'menu:command',
  'catalog:changed',
  'system:devices',
  'models:scored',
] as const satisfies readonly EventName[];
// Fails to compile if the contract gains an event this list lacks.
const everyEventListed: Exclude<EventName, (typeof EVENTS)[number]> extends never ? true : false = true;
void everyEventListed;

const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on('brainseg:event', (_event: IpcRendererEvent, message: { event: string; payload: unknown }) => {
  for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
});

const api = {
  // The main process validates every argument (and the sender) before anything runs.
  request: <N extends RequestName>(name: N, args: RequestArgs<N>) => ipcRenderer.invoke('brainseg:request', name, args) as Promise<RequestResults[N]>,
  on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): (() => void) => {
    if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    listeners.set(event, set);
    return () => set.delete(listener as (payload: unknown) => void);
  },
} satisfies RendererApi;

contextBridge.exposeInMainWorld('brainseg', api);
