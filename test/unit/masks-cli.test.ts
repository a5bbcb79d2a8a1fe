import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const CASE = 'TCGA_CS_6665_20010817';

interface Versions {
  versions: { id: number; source: string; createdAt: string; pixels: number }[];
}

async function pngPixels(file: string): Promise<Buffer> {
  return (await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true })).data;
}

describe('brainseg masks', () => {
  it('lists versions, reads one out, writes a manual one in, and counts the edit', async () => {
    const home = tempDir();
    const out = tempDir();
    await runCliJson(home, ['import', samplePatientFolder(CASE)]);

    const listed = await runCliJson<Versions>(home, ['masks', CASE, '12']);
    expect(listed.code).toBe(0);
    expect(listed.json.versions).toHaveLength(1);
    const imported = listed.json.versions[0]!;
    expect(imported).toMatchObject({ source: 'imported' });
    expect(imported.pixels).toBeGreaterThan(0);

    const saved = path.join(out, 'current.png');
    expect((await runCli(home, ['masks', CASE, '12', '--save', saved])).code).toBe(0);
    const pixels = await pngPixels(saved);
    expect(new Set(pixels)).toEqual(new Set([0, 255]));
    expect(pixels.filter((v) => v === 255).length).toBe(imported.pixels);

    // Paint a 10×10 square into the mask and write it back as a manual edit.
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) pixels[y * 256 + x] = 255;
    const edited = path.join(out, 'edited.png');
    await sharp(pixels, { raw: { width: 256, height: 256, channels: 1 } }).png().toFile(edited);
    const after = await runCliJson<Versions>(home, ['masks', CASE, '12', '--from', edited]);
    expect(after.code).toBe(0);
    expect(after.json.versions.map((v) => v.source)).toEqual(['manual', 'imported']);
    expect(after.json.versions[0]!.pixels).toBe(imported.pixels + 100);

    // The older version is still there, byte for byte.
    const old = path.join(out, 'old.png');
    await runCli(home, ['masks', CASE, '12', '--save', old, '--version', String(imported.id)]);
    expect(readFileSync(old).equals(readFileSync(saved))).toBe(true);

    const info = await runCliJson<{ patients: { editedSlices: number }[] }>(home, ['info']);
    expect(info.json.patients[0]!.editedSlices).toBe(1);
  });

  it('refuses a mask of the wrong size, an unknown patient and an unknown slice, clearly', async () => {
    const home = tempDir();
    await runCliJson(home, ['import', samplePatientFolder(CASE)]);
    const small = path.join(tempDir(), 'small.png');
    await sharp(Buffer.alloc(64 * 64), { raw: { width: 64, height: 64, channels: 1 } }).png().toFile(small);

    const wrongSize = await runCli(home, ['masks', CASE, '12', '--from', small]);
    expect(wrongSize.code).toBe(1);
    expect(wrongSize.stderr).toMatch(/64×64 but the slice is 256×256/);
    expect((await runCliJson<Versions>(home, ['masks', CASE, '12'])).json.versions).toHaveLength(1);

    expect((await runCli(home, ['masks', 'NOBODY', '1'])).stderr).toMatch(/no patient NOBODY/);
    expect((await runCli(home, ['masks', CASE, '999'])).stderr).toMatch(/has no slice 999/);
    expect((await runCli(home, ['masks', CASE, 'x'])).code).toBe(2);
  });
});
