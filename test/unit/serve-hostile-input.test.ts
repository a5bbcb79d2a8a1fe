// Hostile input against `brainseg serve`: each probe of the hardening report, and a table of malformed URLs,
// headers, frames and messages. Every one gets an answer (or a closed socket) and the server stays up. Traffic
// goes to 127.0.0.1 only.
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { decodeWire } from '../../src/contract/wire.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

let server: RunningServer;
let db: CatalogDb;

beforeAll(async () => {
  const home = resolveHome(tempDir.persistent());
  db = await openCatalog(home.catalog);
  await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'));
  server = await startServer(db, { home, host: '127.0.0.1', port: 0, staticDir: null });
});

afterAll(async () => {
  await server.close();
  await db.destroy();
});

/** Sends raw bytes and returns the status line of the answer ('' if the connection closed without one). */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(server.port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve(text.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(text.split('\r\n')[0] ?? '');
    });
  });
}

const host = () => `127.0.0.1:${server.port}`;
const alive = async () => expect((await fetch(server.url)).status).toBe(200);

function openSocket(headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://${host()}/api?token=${server.token}`, { headers: { origin: `http://${host()}`, ...headers } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends one frame and waits for the first answer or the socket's close. */
function exchange(ws: WebSocket, data: string | Buffer, binary = false): Promise<{ answer?: { id?: unknown; error?: string }; closed?: number }> {
  return new Promise((resolve) => {
    ws.once('message', (m) => resolve({ answer: decodeWire(m.toString()) as { error?: string } }));
    ws.once('close', (code) => resolve({ closed: code }));
    ws.once('error', () => undefined);
    ws.send(data, { binary });
  });
}

describe('serve survives hostile HTTP', () => {
  it('a token of 48 two-byte characters (same character count, another byte length) is a 401, not a crash', async () => {
    expect(await raw(`GET /?token=${'%C3%A9'.repeat(48)} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`)).toMatch(/ 401 /);
    await alive();
  });

  it.each([
    ['an unparseable absolute URL', (h: string) => `GET http://[ HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`, / 400 /],
    ['a broken percent-escape (with the token)', (h: string) => `GET /%E0%A4%A?token=${server.token} HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`, / 400 /],
    ['a garbage request line', () => 'BLAH\r\n\r\n', / 400 /],
    ['a header without a colon', (h: string) => `GET / HTTP/1.1\r\nHost: ${h}\r\nnonsense\r\n\r\n`, / 400 /],
    ['no Host header', () => `GET /?token=${server.token} HTTP/1.0\r\n\r\n`, / 403 /],
    ['a foreign Host (DNS rebinding), with the token', () => `GET /?token=${server.token} HTTP/1.1\r\nHost: evil.example:${server.port}\r\nConnection: close\r\n\r\n`, / 403 /],
    ['our name on another port', () => `GET /?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n`, / 403 /],
    ['a path that climbs out of the UI folder', (h: string) => `GET /..%2F..%2Fetc%2Fpasswd?token=${server.token} HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`, / 200 /],
  ])('%s gets an answer and the server stays up', async (_name, request, status) => {
    expect(await raw(request(host()))).toMatch(status);
    await alive();
  });

  it('refuses a WebSocket whose Host and Origin both name another site (DNS rebinding)', async () => {
    const evil = `evil.example:${server.port}`;
    await expect(openSocket({ host: evil, origin: `http://${evil}` })).rejects.toThrow(/403/);
    await alive();
  });
});

describe('serve survives hostile WebSocket messages', () => {
  it('an invalid UTF-8 text frame closes that socket only', async () => {
    const ws = await openSocket();
    const result = await exchange(ws, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(result.closed).toBe(1007);
    await alive();
  });

  it('a message over the size limit closes that socket only', async () => {
    const ws = await openSocket();
    const result = await exchange(ws, 'x'.repeat(25 * 1024 * 1024));
    expect(result.closed).toBe(1009);
    await alive();
  });

  it.each([
    ['not JSON', '{"id":1,'],
    ['JSON null', 'null'],
    ['an array', '[1,2,3]'],
    ['a string', '"masks:save"'],
    ['no name', '{"id":1}'],
    ['a name of the wrong type', '{"id":1,"name":{"x":1},"args":{}}'],
    ['arguments of the wrong type', '{"id":1,"name":"masks:save","args":{"sliceId":"x","data":5}}'],
    ['a prototype key', '{"id":1,"name":"__proto__","args":{}}'],
    ['bytes that are not base64', '{"id":1,"name":"masks:save","args":{"sliceId":1,"data":{"$bytes":"!!!"}}}'],
  ])('%s gets an error answer and the socket stays usable', async (_name, message) => {
    const ws = await openSocket();
    const result = await exchange(ws, message);
    expect(result.answer?.error).toEqual(expect.any(String));
    const again = await exchange(ws, JSON.stringify({ id: 2, name: 'catalog:list-patients', args: {} }));
    expect(again.answer).toMatchObject({ id: 2 });
    ws.close();
  });

  it('a binary frame is answered, not parsed', async () => {
    const ws = await openSocket();
    expect((await exchange(ws, Buffer.from('{"id":1}'), true)).answer?.error).toMatch(/text frames/);
    ws.close();
  });
});

describe('serve keeps memory bounded', () => {
  it('four parallel 22 MB messages are answered and the process grows by less than 400 MB', async () => {
    const home = tempDir();
    const { startServe } = await import('../helpers/browser.js');
    const served = await startServe(home);
    try {
      const pid = served.child.pid!;
      const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
      const peak = { value: rss() };
      const before = peak.value;
      const timer = setInterval(() => (peak.value = Math.max(peak.value, rss())), 20);
      const url = new URL(served.url);
      const token = url.searchParams.get('token')!;
      const big = JSON.stringify({ id: 1, name: 'masks:save', args: { sliceId: 1, width: 4096, height: 4096, operation: 'brush', data: { $bytes: Buffer.alloc(4096 * 4096, 1).toString('base64') } } });
      const answers = await Promise.all([0, 1, 2, 3].map(() => new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(`ws://${url.host}/api?token=${token}`, { headers: { origin: `http://${url.host}` } });
        ws.once('open', () => ws.send(big));
        ws.once('message', (m) => {
          resolve((decodeWire(m.toString()) as { error?: string }).error ?? 'ok');
          ws.close();
        });
        ws.once('error', reject);
      })));
      clearInterval(timer);
      console.log(`serve memory: peak growth ${Math.round((peak.value - before) / 1048576)} MB for four parallel 22 MB messages`);
      for (const answer of answers) expect(answer).toMatch(/no slice 1|busy|mask is/);
      expect(peak.value - before).toBeLessThan(400 * 1024 * 1024);
      expect((await fetch(served.url)).status).toBe(200);
    } finally {
      await served.stop();
    }
  }, 60_000);
});
