import { describe, expect, it } from 'vitest';
import { apply, flipRasLps, invert, multiply } from '../../src/imaging/volume/affine.js';
import { from8bit, intensityWindowOf, to8bit } from '../../src/imaging/volume/intensity.js';
import { axialGridOf, axialSlice, edgeLetters, toSourceGrid } from '../../src/imaging/volume/reslice.js';
import { resampleSlice, sameGrid } from '../../src/imaging/volume/resample.js';
import { checkVolume, VolumeError, type Volume } from '../../src/imaging/volume/volume.js';

// An axial reference volume: voxel (x, y, z) at LPS (x·2, y·2, z·3), value 1000·z + 10·y + x (each voxel unique).
const NX = 5, NY = 4, NZ = 3;
function axialVolume(): Volume {
  const data = new Int16Array(NX * NY * NZ);
  for (let z = 0; z < NZ; z++) for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++) data[x + NX * (y + NY * z)] = 1000 * z + 10 * y + x;
  return { dims: [NX, NY, NZ], data, slope: 1, intercept: 0, affine: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1] };
}

/**
 * The same voxels stored another way: source axis s holds reference axis perm[s], reversed where flip[s]. The
 * affine is chosen so every voxel keeps its patient position.
 */
function restored(reference: Volume, perm: [number, number, number], flip: [boolean, boolean, boolean]): Volume {
  const refDims = reference.dims;
  const dims = perm.map((p) => refDims[p]!) as [number, number, number];
  const data = new Int16Array(reference.data.length);
  // source index → reference index, as an affine
  const m = new Array<number>(16).fill(0);
  m[15] = 1;
  perm.forEach((p, s) => {
    m[p * 4 + s] = flip[s] ? -1 : 1;
    m[p * 4 + 3] = flip[s] ? refDims[p]! - 1 : 0;
  });
  for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) {
    const [x, y, z] = apply(m, [i, j, k]);
    data[i + dims[0] * (j + dims[1] * k)] = reference.data[x + refDims[0] * (y + refDims[1] * z)]!;
  }
  return { dims, data, slope: 1, intercept: 0, affine: multiply(reference.affine, m) };
}

describe('axial layout of a volume', () => {
  it('leaves an axial volume as it is and reads its slices row by row', () => {
    const volume = axialVolume();
    const grid = axialGridOf(volume);
    expect(grid.dims).toEqual([NX, NY, NZ]);
    expect(grid.affine).toEqual([...volume.affine]);
    expect(Array.from(axialSlice(volume, grid, 2)).slice(0, 6)).toEqual([2000, 2001, 2002, 2003, 2004, 2010]);
  });

  it.each([
    ['sagittal storage', [2, 0, 1], [false, false, false]],
    ['coronal storage, reversed rows', [0, 2, 1], [false, true, false]],
    ['every axis reversed', [0, 1, 2], [true, true, true]],
    ['sagittal, reversed', [1, 2, 0], [true, false, true]],
  ] as const)('brings %s back to the same axial slices, voxel for voxel, and back again', (_name, perm, flip) => {
    const reference = axialVolume();
    const stored = restored(reference, [...perm], [...flip]);
    const grid = axialGridOf(stored);
    expect(grid.dims).toEqual([NX, NY, NZ]);
    for (let i = 0; i < 16; i++) expect(grid.affine[i]).toBeCloseTo(reference.affine[i]!, 9);
    const slices: Uint8Array[] = [];
    for (let z = 0; z < NZ; z++) {
      const mine = axialSlice(stored, grid, z);
      expect(Array.from(mine)).toEqual(Array.from(axialSlice(reference, axialGridOf(reference), z)));
      slices.push(Uint8Array.from(mine, (v) => v % 251));
    }
    // The inverse puts every pixel back where it was stored.
    expect(Array.from(toSourceGrid(grid, slices))).toEqual(Array.from(stored.data, (v) => v % 251));
  });

  it('lays an oblique volume out along its closest axes, keeping its true affine', () => {
    const t = (20 * Math.PI) / 180;
    // Rotated 20° about the head-foot axis: columns still mostly left, rows mostly posterior.
    const rotation = [Math.cos(t), -Math.sin(t), 0, 0, Math.sin(t), Math.cos(t), 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const volume = { ...axialVolume(), affine: multiply(rotation, axialVolume().affine) };
    const grid = axialGridOf(volume);
    expect(grid.axes.map((a) => a.sourceAxis)).toEqual([0, 1, 2]);
    expect(grid.affine).toEqual(volume.affine);
    expect(edgeLetters(grid.affine)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });

  it('names the edges of a slice from its affine in radiological convention', () => {
    expect(edgeLetters(axialVolume().affine)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    // A volume whose columns run toward the patient's right (neurological storage) is flipped by the layout.
    const neurological = restored(axialVolume(), [0, 1, 2], [true, false, false]);
    expect(edgeLetters(neurological.affine)).toEqual({ left: 'L', right: 'R', top: 'A', bottom: 'P' });
    expect(edgeLetters(axialGridOf(neurological).affine)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });
});

describe('resampling onto the FLAIR grid', () => {
  it('copies values exactly where the grids coincide, whatever the storage order', () => {
    const reference = axialVolume();
    const stored = restored(reference, [2, 0, 1], [true, false, false]);
    const grid = axialGridOf(reference);
    expect(sameGrid(axialGridOf(stored), grid)).toBe(true);
    for (let z = 0; z < NZ; z++) {
      expect(Array.from(resampleSlice(stored, grid, z, 'linear'))).toEqual(Array.from(axialSlice(reference, grid, z)));
    }
  });

  it('interpolates linearly between voxels and gives 0 outside the other volume', () => {
    const reference = axialVolume();
    // A target grid shifted by half a voxel along x (1 mm) and one row beyond the end along y.
    const target = { dims: [NX, NY + 1, 1] as const, affine: [2, 0, 0, 1, 0, 2, 0, 0, 0, 0, 3, 3, 0, 0, 0, 1] };
    const slice = resampleSlice(reference, target, 0, 'linear');
    expect(slice[0]).toBeCloseTo(1000.5, 5); // between x=0 and x=1 of z=1
    expect(slice[NX * NY]).toBe(0); // row 4 lies outside
    const nearest = resampleSlice(reference, target, 0, 'nearest');
    expect([1000, 1001]).toContain(nearest[0]);
  });

  it('applies slope and intercept', () => {
    const volume = { ...axialVolume(), slope: 0.5, intercept: -10 };
    expect(resampleSlice(volume, axialGridOf(axialVolume()), 1, 'nearest')[1]).toBe(1001 * 0.5 - 10);
  });
});

describe('intensity window', () => {
  it('maps the volume minimum to 0 and its maximum to 255', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => 100 + i);
    const window = intensityWindowOf(values);
    expect(window).toEqual({ low: 100, high: 1099 });
    expect(to8bit(100, window)).toBe(0);
    expect(to8bit(1099, window)).toBe(255);
    expect(from8bit(255, window)).toBe(1099);
  });

  it('lets a few outliers beyond twice the 99.9th percentile saturate instead of squeezing the image', () => {
    const values = new Float32Array(100_000).map((_, i) => i % 500);
    values[0] = 60_000;
    const window = intensityWindowOf(values);
    expect(window.high).toBeLessThan(1100);
    expect(window.high).toBeGreaterThan(900);
    expect(to8bit(60_000, window)).toBe(255);
  });
});

describe('volume checks', () => {
  it('refuses a NaN or singular affine and data shorter than its dimensions, with the reason', () => {
    const volume = axialVolume();
    expect(() => checkVolume({ ...volume, affine: volume.affine.map((v, i) => (i === 5 ? Number.NaN : v)) })).toThrow(/not a number/);
    expect(() => checkVolume({ ...volume, affine: [2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1] })).toThrow(VolumeError);
    expect(() => checkVolume({ ...volume, data: volume.data.subarray(1) })).toThrow(/holds 59 voxels/);
  });

  it('converts NIfTI RAS to LPS and inverts affines', () => {
    const a = [1, 0, 0, 5, 0, 2, 0, 6, 0, 0, 3, 7, 0, 0, 0, 1];
    expect(flipRasLps(a).slice(0, 8)).toEqual([-1, -0, -0, -5, -0, -2, -0, -6]);
    const identity = multiply(a, invert(a));
    for (let i = 0; i < 16; i++) expect(identity[i]).toBeCloseTo([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1][i]!, 12);
  });
});
