import { memo } from 'react';
import type { IntensityRange } from '../../../src/editing/brush.js';
import { TOOL_LIST } from '../../../src/editing/tools/tool-list.js';
import type { EditorHandle } from '../state/use-editor.js';

interface Props {
  editing: EditorHandle;
  /** No patient open: nothing to edit. */
  disabled: boolean;
  onAcceptPrediction(): void;
  onClear(): void;
  onCopyFrom(delta: -1 | 1): void;
  onHelp(): void;
}

function RangeControls({ range, onRange }: { range: IntensityRange | null; onRange(range: IntensityRange | null): void }) {
  if (!range) return <span className="hint">window: from the first pixel you paint</span>;
  return (
    <span className="range">
      FLAIR <input type="number" min={0} max={255} value={range.low} aria-label="Threshold low" onChange={(e) => onRange({ ...range, low: Number(e.target.value) })} />
      – <input type="number" min={0} max={255} value={range.high} aria-label="Threshold high" onChange={(e) => onRange({ ...range, high: Number(e.target.value) })} />
      <button onClick={() => onRange(null)} title="Take the window from the pixel under the cursor again">auto</button>
    </span>
  );
}

/** The editing toolbar: tools, brush size, threshold window, whole-slice actions, undo/redo and save state. */
export const EditTools = memo(function EditTools({ editing: { editor, state }, disabled, onAcceptPrediction, onClear, onCopyFrom, onHelp }: Props) {
  const { saveState } = state;
  return (
    // Until a patient is open there is nothing to edit: the tools are greyed out (a fieldset disables them all).
    <fieldset className="edit-tools" role="toolbar" aria-label="Editing tools" disabled={disabled} title={disabled ? 'Open a patient to edit its masks' : undefined}>
      {/* Tools and slice actions scroll sideways on a narrow screen; undo, redo and whether edits are saved stay in view. */}
      <div className="edit-actions">
        {TOOL_LIST.map((t) => (
          <button key={t.id} className={state.tool === t.id ? 'active' : ''} aria-pressed={state.tool === t.id} onClick={() => editor.setTool(t.id)} title={`${t.label} (${t.key.toUpperCase()}): ${t.help}`}>
            {t.label}
          </button>
        ))}
        <label title="[ and ]">Size <input type="range" min={0.5} max={32} step={0.5} value={state.radius} onChange={(e) => editor.setRadius(Number(e.target.value))} aria-label="Brush size" /> {state.radius}</label>
        {state.tool === 'threshold' && <RangeControls range={state.range} onRange={(r) => editor.setRange(r)} />}
        <button onClick={onAcceptPrediction} title="A: replace this slice's mask with the thresholded prediction">Accept prediction</button>
        <button onClick={() => editor.fillHoles()} title="H">Fill holes</button>
        <button onClick={() => onCopyFrom(-1)} title=",: copy the previous slice's mask">↑ copy</button>
        <button onClick={() => onCopyFrom(1)} title=".: copy the next slice's mask">↓ copy</button>
        <button onClick={onClear} title="Delete: clear this slice's mask">Clear</button>
      </div>
      <div className="edit-status">
        <button onClick={() => editor.undo()} disabled={!state.canUndo} title="Ctrl+Z">Undo</button>
        <button onClick={() => editor.redo()} disabled={!state.canRedo} title="Ctrl+Shift+Z">Redo</button>
        <span className={`save-state${saveState.error ? ' error' : ''}`} data-testid="save-state" title={saveState.error ?? undefined}>
          {saveState.error ?? (saveState.pending > 0 ? 'Saving…' : 'All edits saved')}
        </span>
        <button onClick={onHelp} title="?">?</button>
      </div>
    </fieldset>
  );
});
