import { useState } from 'react';
import { FULL_RANGE, type WindowLevel } from '../logic/display.js';
import { formatUnits, fromSource, windowLimits, windowToSource, windowWidthFromSource, type ChannelUnits } from '../logic/scan-units.js';

interface Props {
  windowLevel: WindowLevel;
  onWindowLevel(next: WindowLevel): void;
  /** The shown channel's source units (a scanner-format patient), or null: 8-bit. */
  units: ChannelUnits | null;
}

/**
 * The W/L sliders and number fields, in the units of the channel on screen: a scanner-format patient's own values,
 * 0–255 otherwise. The window/level itself stays 8-bit (what the lookup table, right-drag and `W` use); only what
 * is shown and typed is converted.
 */
export function WindowLevelControls({ windowLevel, onWindowLevel, units }: Props) {
  const shown = windowToSource(windowLevel, units);
  const limits = windowLimits(units);
  const setWindow = (width: number) => onWindowLevel({ ...windowLevel, window: windowWidthFromSource(width, units) });
  const setLevel = (level: number) => onWindowLevel({ ...windowLevel, level: fromSource(level, units) });
  const step = units ? 'any' : 1;
  const title = units ? 'In the source\'s units. Right-drag on the image: horizontal = window, vertical = level' : 'Right-drag on the image: horizontal = window, vertical = level';
  return (
    <>
      <label title={title}>W
        <input type="range" min={limits.window[0]} max={limits.window[1]} step={step} value={shown.window} onChange={(e) => setWindow(Number(e.target.value))} aria-label="Window" />
        <UnitField label="Window value" value={shown.window} range={limits.window} units={units} onValue={setWindow} />
      </label>
      <label title={title}>L
        <input type="range" min={limits.level[0]} max={limits.level[1]} step={step} value={shown.level} onChange={(e) => setLevel(Number(e.target.value))} aria-label="Level" />
        <UnitField label="Level value" value={shown.level} range={limits.level} units={units} onValue={setLevel} />
      </label>
      <button onClick={() => onWindowLevel(FULL_RANGE)} title="W">Reset W/L</button>
    </>
  );
}

interface FieldProps {
  label: string;
  value: number;
  range: [number, number];
  units: ChannelUnits | null;
  onValue(value: number): void;
}

/**
 * A number field that keeps what is being typed (a source value passes through values out of range on its way,
 * "3" on the way to "310") and takes every valid value at once; it shows the current value again when left.
 */
function UnitField({ label, value, range: [min, max], units, onValue }: FieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  // Compared at the shown precision: a typed bound (the level's lowest value, say) must not fail by a rounding.
  const tolerance = units ? 0.5 * 10 ** -3 : 0;
  return (
    <input type="number" className="wl-value" min={formatUnits(min, units)} max={formatUnits(max, units)} step="any" aria-label={label}
      value={draft ?? formatUnits(value, units)}
      onChange={(e) => {
        setDraft(e.target.value);
        const v = Number(e.target.value);
        if (e.target.value !== '' && v >= min - tolerance && v <= max + tolerance) onValue(Math.min(max, Math.max(min, v)));
      }}
      onBlur={() => setDraft(null)} />
  );
}
