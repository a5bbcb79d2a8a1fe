import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { createApiService } from '../api/handlers.js';
import type { CatalogDb } from '../catalog/db.js';
import type { HomePaths } from '../home.js';
import { decodeWire, encodeWire } from './wire.js';

export interface ServeOptions {
  home: HomePaths;
  host: string;
  port: number;
  /** The built renderer to serve, if there is one. */
  staticDir: string | null;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

/** A running `brainseg serve`. */
export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.wasm': 'application/wasm',
};

/** Whether a host name is on this machine's loopback interface. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Serves the UI and the API contract over a WebSocket. Every request needs the session token (in the URL it
 * prints, then a same-site cookie); WebSocket upgrades also need an Origin of this server, so another site open
 * in the same browser cannot drive the catalog.
 */
export async function startServer(db: CatalogDb, options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const sockets = new Set<WebSocket>();
  const api = createApiService(db, options.home, (event, payload) => {
    const message = encodeWire({ event, payload });
    for (const socket of sockets) socket.send(message);
  });

  const hasToken = (request: IncomingMessage): boolean => {
    const url = new URL(request.url ?? '/', 'http://local');
    const given = url.searchParams.get('token') ?? /(?:^|;\s*)brainseg_token=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
    return given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));
  };

  const server = createServer((request, response) => {
    if (!hasToken(request)) {
      respond(response, 401, 'text/plain; charset=utf-8', 'This BrainSeg session needs its token: open the URL that `brainseg serve` printed.\n');
      return;
    }
    response.setHeader('Set-Cookie', `brainseg_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
    serveStatic(options.staticDir, request, response);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const origin = request.headers.origin;
    const ownOrigin = `http://${request.headers.host}`;
    if (!hasToken(request) || new URL(request.url ?? '/', 'http://local').pathname !== '/api' || (origin !== undefined && origin !== ownOrigin)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void answer(ws, data.toString()));
    });
  });

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let id: unknown = null;
    try {
      const message = decodeWire(text) as { id?: unknown; name?: unknown; args?: unknown };
      id = message.id ?? null;
      const result = await api.call(message.name, message.args);
      ws.send(encodeWire({ id, result }));
    } catch (error) {
      ws.send(encodeWire({ id, error: error instanceof Error ? error.message : String(error) }));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

function respond(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'self'; connect-src 'self' ws: ; img-src 'self' data: blob:; style-src 'self'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
  });
  response.end(body);
}

function serveStatic(root: string | null, request: IncomingMessage, response: ServerResponse): void {
  if (!root || !existsSync(path.join(root, 'index.html'))) {
    respond(response, 200, 'text/html; charset=utf-8',
      '<!doctype html><title>BrainSeg Studio</title><p>The BrainSeg API is running on this server. The viewer is not part of this build yet.</p>\n');
    return;
  }
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!file.startsWith(path.resolve(root) + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    respond(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    return;
  }
  respond(response, 200, CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', readFileSync(file));
}
