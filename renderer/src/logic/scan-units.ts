// Window/level and pixel values in a scanner-format patient's own units. The viewer keeps working in the 8-bit
// units of the catalog's slices (its lookup table, right-drag, reset and presets are all 8-bit); what the person
// reads and types is converted through the shown channel's map: 8-bit 0 and 255 stand for the source values `low`
// and `high`, linear between. LGG patients (no scan info) and the RGB composite stay in 0–255.
import type { PatientScanInfo } from '../../../src/contract/index.js';
import type { DisplayChannel, WindowLevel } from './display.js';

/** The source values a channel's 8-bit 0 and 255 stand for, and which sequence fills it. */
export interface ChannelUnits {
  low: number;
  high: number;
  from: 't1' | 'flair' | 't1c';
}

const SCAN_CHANNEL: Record<Exclude<DisplayChannel, 'rgb'>, 't1' | 'flair' | 't1c'> = { pre: 't1', flair: 'flair', post: 't1c' };

/** The units of the channel on screen, or null where values are 8-bit (LGG patients, the RGB composite). */
export function channelUnits(scan: PatientScanInfo | null | undefined, channel: DisplayChannel): ChannelUnits | null {
  if (!scan || channel === 'rgb') return null;
  const found = scan.channels.find((c) => c.channel === SCAN_CHANNEL[channel]);
  if (!found || !(found.high > found.low)) return null;
  return { low: found.low, high: found.high, from: found.from };
}

/** Source units per 8-bit step. */
function step(units: ChannelUnits): number {
  return (units.high - units.low) / 255;
}

/** The source value an 8-bit value stands for. */
export function toSource(value8: number, units: ChannelUnits | null): number {
  return units ? units.low + value8 * step(units) : value8;
}

/** The 8-bit value (fractional: a typed source value is kept exactly) that stands for a source value. */
export function fromSource(value: number, units: ChannelUnits | null): number {
  return units ? (value - units.low) / step(units) : value;
}

/** A window/level (8-bit) in source units: the level is a value, the window a width. */
export function windowToSource(wl: WindowLevel, units: ChannelUnits | null): WindowLevel {
  return units ? { window: wl.window * step(units), level: toSource(wl.level, units) } : wl;
}

/** A window width in source units as an 8-bit width. */
export function windowWidthFromSource(width: number, units: ChannelUnits | null): number {
  return units ? width / step(units) : width;
}

/** The ranges the W/L controls accept, in the shown units (8-bit: window 1–512, level 0–255). */
export function windowLimits(units: ChannelUnits | null): { window: [number, number]; level: [number, number]; step: number } {
  return units
    ? { window: [step(units), 512 * step(units)], level: [units.low, units.high], step: step(units) }
    : { window: [1, 512], level: [0, 255], step: 1 };
}

/** Decimals worth showing for values of these units: enough to tell one 8-bit step from the next, at most 3. */
export function unitDecimals(units: ChannelUnits | null): number {
  if (!units) return 0;
  const s = step(units);
  return s >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(s)));
}

/** A value in the shown units, as text (no trailing zeros, no "-0"). */
export function formatUnits(value: number, units: ChannelUnits | null): string {
  const text = String(Number(value.toFixed(unitDecimals(units))));
  return text === '-0' ? '0' : text;
}

/** The readout of one pixel: the shown channel's value in its units, or the composite's three 8-bit values. */
export function pixelValueText(values8: readonly number[], units: ChannelUnits | null): string {
  if (values8.length !== 1) return values8.join(' / ');
  return formatUnits(toSource(values8[0]!, units), units);
}
