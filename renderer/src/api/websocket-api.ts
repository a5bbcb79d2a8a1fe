import type { EventName, EventPayloads, RendererApi, RequestArgs, RequestName, RequestResults } from '../../../src/contract/index.js';
import { decodeWire, encodeWire } from '../../../src/contract/wire.js';

type Listener = (payload: never) => void;

/**
 * The contract over `brainseg serve`'s WebSocket. The session token travels as the cookie the server set when
 * it served this page. A dropped connection rejects the calls in flight and reconnects on the next call.
 */
export function connectWebSocketApi(url: string): RendererApi {
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Set<Listener>>();

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('cannot reach the BrainSeg server: is `brainseg serve` still running?'));
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const call of pending.values()) call.reject(new Error('the connection to the BrainSeg server closed'));
        pending.clear();
      };
      ws.onmessage = (event) => {
        const message = decodeWire(String(event.data)) as { id?: number; result?: unknown; error?: string; event?: string; payload?: unknown };
        if (message.event) {
          for (const listener of listeners.get(message.event) ?? []) listener(message.payload as never);
          return;
        }
        const call = message.id !== undefined ? pending.get(message.id) : undefined;
        if (!call) return;
        pending.delete(message.id!);
        if (message.error !== undefined) call.reject(new Error(message.error));
        else call.resolve(message.result);
      };
    });
    opened.catch(() => (opened = null));
    return opened;
  };
  void connect().catch(() => undefined); // open early so server events (training progress) arrive from the start

  return {
    async request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResults[N]> {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise<RequestResults[N]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        ws.send(encodeWire({ id, name, args }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
  };
}
