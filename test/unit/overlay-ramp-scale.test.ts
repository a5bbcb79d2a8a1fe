// The heat map's ramp never reaches the mask's colour, the prediction outline keeps a dark halo (a bare cyan line
// over the yellow fill read as green), and the scale bar's length follows the pixel size and the zoom.
import { describe, expect, it } from 'vitest';
import { heatAlpha, heatColor, HEAT_FLOOR } from '../../src/editing/heat-ramp.js';
import { COLORS, OUTLINE_HALO, predictionOverlay } from '../../src/editing/overlays.js';
import { scaleBar } from '../../renderer/src/logic/scale-bar.js';
import { readSampleSlice } from '../helpers/sample-data.js';

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

describe('the heat map ramp', () => {
  it('stays far from the mask yellow at every probability, and is ordered from dark to light', () => {
    let previousLightness = -1;
    for (let p = 0; p <= 255; p++) {
      const colour = heatColor(p / 255);
      expect(distance(colour, COLORS.mask), `p ${p}`).toBeGreaterThan(120);
      const lightness = 0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2];
      expect(lightness, `p ${p}`).toBeGreaterThanOrEqual(previousLightness - 0.5);
      previousLightness = lightness;
    }
  });

  it('is transparent at 0 and below 5 %, and grows more opaque with the probability', () => {
    expect(heatAlpha(0, 1)).toBe(0);
    expect(heatAlpha(HEAT_FLOOR - 1, 1)).toBe(0);
    expect(heatAlpha(HEAT_FLOOR, 1)).toBeGreaterThan(0);
    expect(heatAlpha(255, 0.6)).toBe(153);
    for (let p = HEAT_FLOOR; p < 255; p++) expect(heatAlpha(p + 1, 1)).toBeGreaterThanOrEqual(heatAlpha(p, 1));
    const drawn = predictionOverlay(new Uint8Array([0, 12, 13, 128, 255]), 5, 1, { mode: 'heat', threshold: 0.5, opacity: 0.6 });
    for (const [i, p] of [0, 12, 13, 128, 255].entries()) {
      expect(drawn[i * 4 + 3]).toBe(heatAlpha(p, 0.6));
      if (drawn[i * 4 + 3]! > 0) expect(Array.from(drawn.subarray(i * 4, i * 4 + 3))).toEqual([...heatColor(p / 255)]);
    }
  });
});

describe('the prediction outline', () => {
  it('outlines a real lesion in its colour with a dark halo just outside, and leaves the rest transparent', async () => {
    const { image, mask } = await readSampleSlice('TCGA_CS_6665_20010817', 12);
    const { width, height } = image;
    const probabilities = mask.map((v) => (v ? 230 : 10));
    const drawn = predictionOverlay(probabilities, width, height, { mode: 'outline', threshold: 0.5, opacity: 1 });
    let line = 0;
    let halo = 0;
    for (let i = 0; i < width * height; i++) {
      const colour = Array.from(drawn.subarray(i * 4, i * 4 + 3));
      const alpha = drawn[i * 4 + 3]!;
      const x = i % width;
      const neighbours = [i - 1, i + 1, i - width, i + width].filter((j) => j >= 0 && j < width * height && Math.abs((j % width) - x) <= 1);
      const edge = neighbours.length < 4 || neighbours.some((j) => !mask[j]);
      if (mask[i] && edge) {
        expect(colour).toEqual([...COLORS.prediction]);
        expect(alpha).toBe(255);
        line++;
      } else if (!mask[i] && neighbours.some((j) => mask[j])) {
        expect(colour).toEqual([...OUTLINE_HALO]);
        expect(alpha).toBeGreaterThan(0);
        halo++;
      } else expect(alpha).toBe(0);
    }
    expect(line).toBeGreaterThan(20);
    expect(halo).toBeGreaterThan(line * 0.8);
  });
});

describe('the scale bar', () => {
  it('shows a round length whose bar is its mm / pixel size × screen pixels per image pixel, and follows the zoom', () => {
    const fitted = scaleBar(0.5, 2, 160)!; // 0.5 mm pixels drawn 2 px each: 4 px per mm
    expect(fitted).toEqual({ mm: 20, px: 80 });
    const zoomed = scaleBar(0.5, 8, 160)!; // 16 px per mm
    expect(zoomed).toEqual({ mm: 10, px: 160 });
    expect(scaleBar(0.9375, 1.95, 160)!.px).toBeCloseTo((scaleBar(0.9375, 1.95, 160)!.mm / 0.9375) * 1.95, 10);
    expect(scaleBar(1, 200, 160)).toEqual({ mm: 0.5, px: 100 });
  });

  it('draws no bar when the pixel size is unknown', () => {
    expect(scaleBar(null, 2, 160)).toBeNull();
    expect(scaleBar(0, 2, 160)).toBeNull();
  });
});
