/** An 8-bit RGB colour, as the overlays and the heat map's ramp paint with it. */
export type Rgb = readonly [number, number, number];
