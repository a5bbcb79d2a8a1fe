import { createConnection } from 'node:net';
import { userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { decodeWire, encodeWire } from '../../src/contract/wire.js';
import type { MaskSaveResult } from '../../src/contract/index.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

let server: RunningServer | null = null;
let db: CatalogDb | null = null;

afterEach(async () => {
  await server?.close();
  await db?.destroy();
  server = null;
  db = null;
});

async function serveSample(): Promise<RunningServer> {
  const home = resolveHome(tempDir());
  db = await openCatalog(home.catalog);
  await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'));
  server = await startServer(db, { home, host: '127.0.0.1', port: 0, staticDir: null });
  return server;
}

/** A minimal client of the contract over the WebSocket. */
async function connect(running: RunningServer, token = running.token, origin?: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${running.port}/api?token=${token}`, origin ? { origin } : {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 0;
  const pending = new Map<number, (m: { result?: unknown; error?: string }) => void>();
  ws.on('message', (data) => {
    const message = decodeWire(data.toString()) as { id?: number; result?: unknown; error?: string };
    if (typeof message.id === 'number') pending.get(message.id)?.(message);
  });
  const call = (name: unknown, args: unknown) =>
    new Promise<{ result?: unknown; error?: string }>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      ws.send(encodeWire({ id, name, args }));
    });
  return { ws, call };
}

describe('brainseg serve', () => {
  it('binds loopback and refuses requests without the session token', async () => {
    const running = await serveSample();
    expect(running.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${running.port}/\\?token=[0-9a-f]{48}$`));
    expect((await fetch(`http://127.0.0.1:${running.port}/`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${running.port}/?token=wrong`)).status).toBe(401);
    const page = await fetch(running.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('set-cookie')).toMatch(new RegExp(`^brainseg_token_${running.port}=.*HttpOnly; SameSite=Strict`));
    await expect(connect(running, 'wrong')).rejects.toThrow(/401/);
    await expect(connect(running, running.token, 'http://evil.example')).rejects.toThrow(/403/);
  });

  it('closes at once with a client half-way through a request', async () => {
    const running = await serveSample();
    const client = createConnection({ host: '127.0.0.1', port: running.port });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    client.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // headers never finished
    const closedByServer = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await running.close();
    server = null;
    await closedByServer;
    expect(Date.now() - started).toBeLessThan(5_000); // a hang guard: without closing live connections it waited over 3 minutes
  });

  it('answers the contract over the WebSocket, and a malformed call gets an error, not a crash', async () => {
    const running = await serveSample();
    const { ws, call } = await connect(running, running.token, `http://127.0.0.1:${running.port}`);
    const patients = (await call('catalog:list-patients', {})).result as { id: number; caseId: string; slices: number }[];
    expect(patients).toMatchObject([{ caseId: 'TCGA_CS_6665_20010817', slices: 24 }]);
    // The radiologist's spacing for a patient is kept and listed; nonsense is refused.
    const spaced = (await call('catalog:set-spacing', { patientId: patients[0]!.id, pixelMm: 0.5, sliceMm: 3 })).result as { spacing: unknown }[];
    expect(spaced[0]!.spacing).toEqual({ pixelMm: 0.5, sliceMm: 3 });
    expect((await call('catalog:set-spacing', { patientId: patients[0]!.id, pixelMm: 0, sliceMm: 3 })).error).toMatch(/pixelMm/);
    expect((await call('catalog:set-spacing', { patientId: 999, pixelMm: 1, sliceMm: 1 })).error).toMatch(/no patient 999/);
    const slices = (await call('catalog:list-slices', { patientId: patients[0]!.id })).result as { id: number; number: number }[];
    const twelve = slices.find((s) => s.number === 12)!;

    const image = (await call('slices:get-image', { sliceId: twelve.id })).result as { width: number; channels: number; data: Uint8Array };
    expect([image.width, image.channels, image.data.length]).toEqual([256, 3, 256 * 256 * 3]);

    expect((await call('catalog:list-slices', { patientId: 'x' })).error).toMatch(/patientId/);
    expect((await call('nope', {})).error).toMatch(/unknown request/);
    expect((await call('slices:get-image', { sliceId: 99999 })).error).toMatch(/no slice 99999/);

    // Saving a mask through the API adds a manual version the CLI would list.
    const data = new Uint8Array(256 * 256);
    data.fill(1, 1000, 1100);
    const answer = (await call('masks:save', { sliceId: twelve.id, width: 256, height: 256, data, operation: 'brush' })).result as MaskSaveResult;
    const saved = answer.version;
    expect(saved).toMatchObject({ source: 'manual', pixels: 100, operation: 'brush', author: userInfo().username });
    // The answer carries what the UI shows next, so a stroke costs one request: the edited count and the ranking.
    expect(answer.patient).toEqual({ id: patients[0]!.id, editedSlices: 1 });
    expect(answer.ranking).toEqual({ modelId: null, slices: [] });
    // Accepting a prediction is saved as that model's (tested with a real model in the editing e2e test).
    expect((await call('masks:save', { sliceId: twelve.id, width: 256, height: 256, data, operation: 'accept', acceptedModelId: 7 })).error).toMatch(/no model 7/);
    const current = (await call('masks:get-current', { sliceId: twelve.id })).result as { versionId: number; data: Uint8Array };
    expect(current.versionId).toBe(saved.id);
    expect(current.data.reduce((a, b) => a + b, 0)).toBe(100);
    ws.close();
  });
});
