// Reads back what the viewer actually drew: the pixels of a Konva layer's canvas at the centre of every image
// pixel, not the DOM and not the overlay's source canvas. A stale canvas that Konva never redrew shows up here.
import type { Page } from 'playwright-core';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { findMaskVersion, listMaskVersions, readCurrentMask, readMaskBitmap } from '../../src/catalog/masks.js';
import { findPatientByCaseId } from '../../src/catalog/patients.js';
import { findSlice } from '../../src/catalog/slices.js';
import type { Slice } from '../../src/catalog/types.js';
import type { MaskVersion } from '../../src/contract/index.js';
import { resolveHome } from '../../src/home.js';

/**
 * What the named overlay's layer shows at each image pixel's centre, reduced in the page to two bit strings (a
 * 256² layer as JSON numbers was megabytes per poll): `opaque` — not transparent (a layer of its own, such as the
 * mask), and `coloured` — channels differing by more than 30 (an overlay on a grey single-channel slice, which has
 * r = g = b). Null when the node is not mounted.
 */
export interface DrawnLayer {
  opaque: string;
  coloured: string;
}

export function readDrawnLayer(page: Page, nodeName: string, size: { width: number; height: number }): Promise<DrawnLayer | null> {
  return page.evaluate(({ nodeName, width, height }) => {
    interface KonvaNode {
      x(): number; y(): number; scaleX(): number; scaleY(): number;
      getLayer(): { getCanvas(): { getPixelRatio(): number; _canvas: HTMLCanvasElement } };
    }
    const konva = (window as unknown as { Konva: { stages: { findOne(selector: string): KonvaNode | undefined }[] } }).Konva;
    const node = konva.stages[0]?.findOne(`.${nodeName}`);
    if (!node) return null;
    const sceneCanvas = node.getLayer().getCanvas();
    const ratio = sceneCanvas.getPixelRatio();
    const element = sceneCanvas._canvas;
    const pixels = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
    const opaque = new Array<string>(width * height).fill('0');
    const coloured = new Array<string>(width * height).fill('0');
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const cx = Math.floor((node.x() + (x + 0.5) * node.scaleX()) * ratio);
        const cy = Math.floor((node.y() + (y + 0.5) * node.scaleY()) * ratio);
        if (cx < 0 || cy < 0 || cx >= element.width || cy >= element.height) continue;
        const o = (cy * element.width + cx) * 4;
        const [r, g, b, a] = [pixels[o]!, pixels[o + 1]!, pixels[o + 2]!, pixels[o + 3]!];
        if (a > 0) opaque[y * width + x] = '1';
        if (Math.max(r, g, b) - Math.min(r, g, b) > 30) coloured[y * width + x] = '1';
      }
    }
    return { opaque: opaque.join(''), coloured: coloured.join('') };
  }, { nodeName, ...size });
}

const bits = (text: string | undefined, size: number) => {
  const out = new Uint8Array(size);
  if (text) for (let i = 0; i < size; i++) out[i] = text.charCodeAt(i) === 49 ? 1 : 0;
  return out;
};

/** 1 where the drawn layer is not transparent (a layer of its own, such as the mask overlay). */
export function opaquePixels(layer: DrawnLayer | null, size: number): Uint8Array {
  return bits(layer?.opaque, size);
}

/** 1 where the drawn layer is coloured: an overlay over a grey single-channel slice. */
export function colouredPixels(layer: DrawnLayer | null, size: number): Uint8Array {
  return bits(layer?.coloured, size);
}

/** 1 where RGBA pixels (an overlay function's output) are not transparent: the expected drawing. */
export function expectedOpaque(rgba: Uint8ClampedArray, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = rgba[i * 4 + 3]! > 0 ? 1 : 0;
  return out;
}

/** 1 where RGBA pixels are drawn in a colour (not transparent, channels differing by more than 30, as readDrawnLayer counts). */
export function expectedColoured(rgba: Uint8ClampedArray, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const [r, g, b] = [rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!];
    out[i] = rgba[i * 4 + 3]! > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 30 ? 1 : 0;
  }
  return out;
}

/** How many pixels two binary images disagree on. */
export function mismatches(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let n = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] !== 0) !== (b[i] !== 0)) n++;
  return n;
}

/** Runs `read` on a slice of a data folder's catalog, opened in this process while `brainseg serve` runs. */
async function withStoredSlice<T>(home: string, caseId: string, slice: number, read: (db: CatalogDb, row: Slice) => Promise<T>): Promise<T> {
  const db = await openCatalog(resolveHome(home).catalog);
  try {
    const patient = await findPatientByCaseId(db, caseId);
    const row = patient && (await findSlice(db, patient.id, slice));
    if (!row) throw new Error(`${caseId} has no slice ${slice} in ${home}`);
    return await read(db, row);
  } finally {
    await db.destroy();
  }
}

/**
 * The truth: a slice's stored mask (or one version) as 0/1, read from the data folder's catalog while `brainseg serve`
 * runs, by the same reads `brainseg masks … --save` makes (masks-cli.test.ts checks that command's file). Read in
 * this process: a CLI run per comparison cost ~2 s of CPU, dozens of times per test file.
 */
export function storedMask(home: string, caseId: string, slice: number, version?: number): Promise<Uint8Array> {
  return withStoredSlice(home, caseId, slice, async (db, row) => {
    if (version !== undefined && (await findMaskVersion(db, version))?.sliceId !== row.id) {
      throw new Error(`mask version ${version} is not one of ${caseId} slice ${slice}'s`);
    }
    const mask = version !== undefined ? await readMaskBitmap(db, version) : await readCurrentMask(db, row.id, row.width, row.height);
    return Uint8Array.from(mask.data, (v) => (v ? 1 : 0));
  });
}

/**
 * A slice's mask versions, newest first, as `brainseg masks <case> <slice> --json` lists them (the same catalog
 * read; masks-cli.test.ts checks that command), read in this process for the same reason as storedMask.
 */
export function storedVersions(home: string, caseId: string, slice: number): Promise<MaskVersion[]> {
  return withStoredSlice(home, caseId, slice, (db, row) => listMaskVersions(db, row.id));
}
