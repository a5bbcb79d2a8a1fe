import { WebSocket } from 'ws';
import type { EventName, EventPayloads, RequestArgs, RequestName, RequestResults } from '../contract/index.js';
import { decodeWire, encodeWire } from '../contract/wire.js';

/** A Node client of a running `brainseg serve`: the contract's requests and events over its WebSocket. */
export interface ApiClient {
  request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResults[N]>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): void;
  close(): void;
}

/**
 * Connects to the server that printed `url` (`http://host:port/?token=…`), as the page does: the token in the
 * WebSocket URL and the server's own Origin. Used by the team benchmark and the tests that drive several servers.
 */
export async function connectApi(url: string): Promise<ApiClient> {
  const page = new URL(url);
  const token = page.searchParams.get('token') ?? '';
  const ws = new WebSocket(`ws://${page.host}/api?token=${encodeURIComponent(token)}`, { origin: page.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  ws.on('message', (data: Buffer) => {
    const message = decodeWire(data.toString()) as { id?: number | null; result?: unknown; error?: string; event?: string; payload?: unknown };
    if (typeof message.event === 'string') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      return;
    }
    const waiting = typeof message.id === 'number' ? pending.get(message.id) : undefined;
    if (!waiting) return;
    pending.delete(message.id as number);
    if (message.error !== undefined) waiting.reject(new Error(message.error));
    else waiting.resolve(message.result);
  });
  ws.on('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('the server closed the connection'));
    pending.clear();
  });
  return {
    request: (name, args) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        ws.send(encodeWire({ id, name, args }));
      }),
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (payload: unknown) => void]);
    },
    close: () => ws.close(),
  };
}
