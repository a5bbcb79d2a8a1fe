import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContractError, REQUEST_SCHEMAS, validateRequest } from '../../src/contract/index.js';
import { createWireCodec, decodeWire, encodeWire } from '../../src/contract/wire.js';
import { REPO_ROOT } from '../helpers/sample-data.js';

describe('API contract validation', () => {
  it('accepts well-formed calls and names every request domain:verb', () => {
    expect(validateRequest('catalog:list-slices', { patientId: 3 })).toEqual({ name: 'catalog:list-slices', args: { patientId: 3 } });
    expect(validateRequest('catalog:list-patients', undefined).args).toEqual({});
    for (const name of Object.keys(REQUEST_SCHEMAS)) expect(name).toMatch(/^[a-z]+:[a-z-]+$/);
  });

  it('is listed whole in docs/architecture.md: every request and every event', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/architecture.md'), 'utf8');
    // The events are declared by domain (FolderEvents, ModelEvents, …) and assembled in EventPayloads.
    const folder = path.join(REPO_ROOT, 'src/contract');
    const contract = readdirSync(folder).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(folder, f), 'utf8')).join('\n');
    const blocks = [...contract.matchAll(/^export interface (?:\w+Events|EventPayloads)\b[^{]*\{\n([\s\S]*?)\n\}\n/gm)].map((m) => m[1]!);
    const events = blocks.flatMap((block) => [...block.matchAll(/^ {2}'([a-z]+:[a-z-]+)'/gm)].map((m) => m[1]!));
    expect(events.length).toBeGreaterThan(5);
    const missing = [...Object.keys(REQUEST_SCHEMAS), ...events].filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it.each([
    ['an unknown request', 'catalog:drop-everything', {}, /unknown request/],
    ['a missing field', 'catalog:list-slices', {}, /patientId/],
    ['a wrong type', 'catalog:list-slices', { patientId: '3' }, /patientId/],
    ['a negative id', 'slices:get-image', { sliceId: -1 }, /sliceId/],
    ['an extra field', 'models:list', { sql: 'DROP TABLE masks' }, /unrecognized|sql/i],
    ['a mask of the wrong length', 'masks:save', { sliceId: 1, width: 2, height: 2, data: new Uint8Array(3), operation: 'brush' }, /width × height/],
    ['mask data that is not bytes', 'masks:save', { sliceId: 1, width: 1, height: 1, data: [1], operation: 'brush' }, /data/],
    ['a save that says not what made it', 'masks:save', { sliceId: 1, width: 1, height: 1, data: new Uint8Array(1) }, /operation/],
    ['an operation the UI cannot do', 'masks:save', { sliceId: 1, width: 1, height: 1, data: new Uint8Array(1), operation: 'import' }, /operation/],
    ['an accept without its model', 'masks:save', { sliceId: 1, width: 1, height: 1, data: new Uint8Array(1), operation: 'accept' }, /acceptedModelId/],
    ['a non-string name', 42, {}, /unknown request/],
  ])('rejects %s with a ContractError', (_what, name, args, message) => {
    expect(() => validateRequest(name, args)).toThrow(ContractError);
    expect(() => validateRequest(name, args)).toThrow(message);
  });
});

describe('WebSocket wire format', () => {
  it('carries bytes through JSON intact', () => {
    const message = { id: 1, result: { data: new Uint8Array([0, 1, 255]), nested: [{ b: new Uint8Array([7]) }] } };
    expect(decodeWire(encodeWire(message))).toEqual(message);
  });

  it('writes the same text with Node\'s Buffer (server) and with atob/btoa (browser), and each reads the other', () => {
    const browser = createWireCodec(undefined);
    // A real-size slice (256² × 3) of every byte value: larger than one String.fromCharCode chunk.
    const image = new Uint8Array(256 * 256 * 3).map((_, i) => (i * 37) % 256);
    const message = { result: { width: 256, height: 256, channels: 3, data: image } };
    expect(browser.encode(message)).toBe(encodeWire(message));
    expect(browser.decode(encodeWire(message))).toEqual(message);
    expect(decodeWire(browser.encode(message))).toEqual(message);
  });
});
