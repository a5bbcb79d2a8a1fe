// The one gate every HTTP request and WebSocket upgrade of `brainseg serve` passes before anything else reads it.
// It never throws: whatever a client sends (a malformed request line, broken percent-escapes, a token of the
// wrong byte length, a foreign Host), the answer is a status code, not a dead process.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What the gate learned about an admitted request. */
export interface AdmittedRequest {
  /** The decoded path ("/index.html"). */
  pathname: string;
}

export type GateResult = { ok: true; request: AdmittedRequest } | { ok: false; status: 400 | 401 | 403; reason: string };

export interface GateOptions {
  token: string;
  /** The port the server listens on: Host must name it, and the cookie is per port. */
  port: number;
  /** The address the server is bound to. */
  boundHost: string;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Whether a host name is on this machine's loopback interface. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The session cookie's name: per port, so other services on 127.0.0.1 never receive a token that opens this one. */
export function cookieName(port: number): string {
  return `brainseg_token_${port}`;
}

/** Compares byte strings in constant time; a different byte length (not character count) is simply unequal. */
export function tokenMatches(given: string, token: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(token, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Host must be this server as the browser addressed it: a loopback name (or the bound address) with our port. A
 * DNS-rebinding page has its own name in Host ("evil.example:PORT"), so it is refused even though it resolves
 * here. Bound to a non-loopback address on purpose (--host), any name with our port is accepted: the user
 * chose to be reachable by name, and the token still guards it.
 */
export function hostAllowed(hostHeader: string | undefined, options: GateOptions): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[^\]]*\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!match || Number(match[2] ?? 80) !== options.port) return false;
  const name = match[1]!.toLowerCase();
  if (!isLoopback(options.boundHost)) return true;
  const bound = options.boundHost.includes(':') ? `[${options.boundHost}]` : options.boundHost;
  return LOOPBACK_NAMES.includes(name) || name === bound;
}

function decodePath(rawUrl: string | undefined): string | null {
  try {
    return decodeURIComponent(new URL(rawUrl ?? '/', 'http://local').pathname);
  } catch {
    return null;
  }
}

function tokenFrom(request: IncomingMessage, port: number): string {
  let fromQuery: string | null;
  try {
    fromQuery = new URL(request.url ?? '/', 'http://local').searchParams.get('token');
  } catch {
    fromQuery = null;
  }
  const cookie = new RegExp(`(?:^|;\\s*)${cookieName(port)}=([^;]+)`).exec(request.headers.cookie ?? '')?.[1];
  return fromQuery ?? cookie ?? '';
}

/** Admits a plain HTTP request: a parseable URL, our Host, the session token. */
export function admitRequest(request: IncomingMessage, options: GateOptions): GateResult {
  const pathname = decodePath(request.url);
  if (pathname === null) return { ok: false, status: 400, reason: 'malformed request URL' };
  if (!hostAllowed(request.headers.host, options)) return { ok: false, status: 403, reason: 'this server answers only to its own address' };
  if (!tokenMatches(tokenFrom(request, options.port), options.token)) {
    return { ok: false, status: 401, reason: 'This BrainSeg session needs its token: open the URL that `brainseg serve` printed.' };
  }
  return { ok: true, request: { pathname } };
}

/** Admits a WebSocket upgrade: everything a request needs, the /api path, and an Origin of this very server. */
export function admitUpgrade(request: IncomingMessage, options: GateOptions): GateResult {
  const admitted = admitRequest(request, options);
  if (!admitted.ok) return admitted;
  if (admitted.request.pathname !== '/api') return { ok: false, status: 400, reason: 'the API is at /api' };
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host}`) return { ok: false, status: 403, reason: 'foreign origin' };
  return admitted;
}
