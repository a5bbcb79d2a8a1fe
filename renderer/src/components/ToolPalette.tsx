import { memo } from 'react';
import type { IntensityRange } from '../../../src/editing/brush.js';
import { TOOL_LIST } from '../../../src/editing/tools/tool-list.js';
import type { EditorHandle } from '../state/use-editor.js';

interface Props {
  editing: EditorHandle;
  /** No patient open: nothing to edit. */
  disabled: boolean;
}

function RangeControls({ range, onRange }: { range: IntensityRange | null; onRange(range: IntensityRange | null): void }) {
  if (!range) return <span className="hint">FLAIR window: from the first pixel you paint</span>;
  return (
    <span className="range">
      FLAIR window
      <span>
        <input type="number" min={0} max={255} value={range.low} aria-label="Threshold low" onChange={(e) => onRange({ ...range, low: Number(e.target.value) })} />
        – <input type="number" min={0} max={255} value={range.high} aria-label="Threshold high" onChange={(e) => onRange({ ...range, high: Number(e.target.value) })} />
      </span>
      <button onClick={() => onRange(null)} title="Take the window from the pixel under the cursor again">auto</button>
    </span>
  );
}

/**
 * The tools, as a column beside the image: the image is as tall as the screen allows and narrower than its room, so
 * the column costs it nothing, and every tool stays in sight on a laptop (in a row above the image they scrolled out).
 */
export const ToolPalette = memo(function ToolPalette({ editing: { editor, state }, disabled }: Props) {
  return (
    // Until a patient is open there is nothing to edit: the tools are greyed out (a fieldset disables them all).
    <fieldset className="tool-palette" role="toolbar" aria-orientation="vertical" aria-label="Editing tools" disabled={disabled}
      title={disabled ? 'Open a patient to edit its masks' : undefined}>
      {TOOL_LIST.map((t) => (
        // The key is shown beside the name to teach it; the button's name stays the tool's name.
        <button key={t.id} className={state.tool === t.id ? 'active' : ''} aria-pressed={state.tool === t.id} aria-label={t.label}
          onClick={() => editor.setTool(t.id)} title={`${t.label} (${t.key.toUpperCase()}): ${t.help}`}>
          {t.label}<kbd>{t.key.toUpperCase()}</kbd>
        </button>
      ))}
      <label title="[ and ]">Size {state.radius}
        <input type="range" min={0.5} max={32} step={0.5} value={state.radius} onChange={(e) => editor.setRadius(Number(e.target.value))} aria-label="Brush size" />
      </label>
      {state.tool === 'threshold' && <RangeControls range={state.range} onRange={(r) => editor.setRange(r)} />}
    </fieldset>
  );
});
