import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { createApiService } from './handlers.js';
import type { CatalogDb } from '../catalog/db.js';
import type { HomePaths } from '../home.js';
import { admitRequest, admitUpgrade, cookieName, type GateOptions } from './request-guard.js';
import { decodeWire, encodeWire } from '../contract/wire.js';

export { isLoopback } from './request-guard.js';

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

/**
 * The largest WebSocket message (bytes). The biggest real one is a mask save of a 4096² slice (16 MB of pixels,
 * ~22 MB as base64); anything larger is refused by the socket before it is buffered.
 */
const MAX_MESSAGE_BYTES = 24 * 1024 * 1024;
/**
 * Message bytes being decoded and answered at once, over all sockets. Past it, a new message is answered "busy"
 * instead of being parsed: parallel large saves cannot grow the process without bound.
 */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

/**
 * Serves the UI and the API contract over a WebSocket. Every request needs the session token (in the URL it
 * prints, then a same-site cookie); WebSocket upgrades also need an Origin of this server, so another site open
 * in the same browser cannot drive the catalog.
 */
export async function startServer(db: CatalogDb, options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const sockets = new Set<WebSocket>();
  const api = createApiService(db, options.home, (event, payload) => {
    const message = { event, payload };
    for (const socket of sockets) reply(socket, message);
  });

  // Filled in once listening: the gate checks Host and names the cookie by the real port.
  const gate: GateOptions = { token, port: 0, boundHost: options.host };

  const server = createServer((request, response) => {
    try {
      const admitted = admitRequest(request, gate);
      if (!admitted.ok) {
        respond(response, admitted.status, 'text/plain; charset=utf-8', `${admitted.reason}\n`);
        return;
      }
      response.setHeader('Set-Cookie', `${cookieName(gate.port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      serveStatic(options.staticDir, admitted.request.pathname, response);
    } catch (error) {
      // A bug of ours must not take the workstation down with it: answer 500 and keep serving.
      if (!response.headersSent) respond(response, 500, 'text/plain; charset=utf-8', `internal error: ${(error as Error).message}\n`);
      else response.destroy();
    }
  });
  // Requests Node's parser cannot read at all (a broken request line, oversized headers) end here, not in a crash.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const admitted = admitUpgrade(request, gate);
    if (!admitted.ok) {
      socket.end(`HTTP/1.1 ${admitted.status} ${admitted.reason.replace(/[^\x20-\x7e]/g, '')}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // Invalid UTF-8, an oversized frame, a protocol error: ws closes that socket; without a listener the error
      // would be thrown and end the process.
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
        if (isBinary) return void reply(ws, { id: null, error: 'send text frames of JSON' });
        if (inFlightBytes + bytes > MAX_IN_FLIGHT_BYTES) return void reply(ws, { id: null, error: 'busy: too much data in flight, try again' });
        inFlightBytes += bytes;
        void answer(ws, data.toString()).finally(() => (inFlightBytes -= bytes));
      });
    });
  });
  let inFlightBytes = 0;

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let id: unknown = null;
    try {
      const message = decodeWire(text) as { id?: unknown; name?: unknown; args?: unknown } | null;
      if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new Error('a request is a JSON object {id, name, args}');
      id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
      const result = await api.call(message.name, message.args);
      reply(ws, { id, result });
    } catch (error) {
      reply(ws, { id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  gate.port = port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Connections mid-request would hold the close until their request ends (a long job, a hung peer).
        server.closeAllConnections();
        for (const socket of sockets) socket.terminate();
        wss.close();
        api.close();
      }),
  };
}

function respond(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: ; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
  });
  response.end(body);
}

/** Sends on a socket that may have closed meanwhile (the client went away while its request ran). */
function reply(ws: WebSocket, message: unknown): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(encodeWire(message), (error) => {
    if (error) ws.terminate();
  });
}

function serveStatic(root: string | null, pathname: string, response: ServerResponse): void {
  if (!root || !existsSync(path.join(root, 'index.html'))) {
    respond(response, 200, 'text/html; charset=utf-8',
      '<!doctype html><title>BrainSeg Studio</title><p>The BrainSeg API is running on this server. The viewer is not part of this build yet.</p>\n');
    return;
  }
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!file.startsWith(path.resolve(root) + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    respond(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    return;
  }
  respond(response, 200, CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', readFileSync(file));
}
