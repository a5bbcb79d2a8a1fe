import type { IntensityRange } from '../../../src/editing/brush.js';
import type { MaskEditor, Tool } from '../state/use-mask-editor.js';

/** Each tool's name, key and what it does (the help overlay lists the same). */
export const TOOLS: { tool: Tool; key: string; label: string; help: string }[] = [
  { tool: 'navigate', key: 'v', label: 'Navigate', help: 'left-drag pans' },
  { tool: 'brush', key: 'b', label: 'Brush', help: 'paint the lesion' },
  { tool: 'eraser', key: 'e', label: 'Eraser', help: 'erase the mask' },
  { tool: 'threshold', key: 't', label: 'Threshold brush', help: 'paints only FLAIR values inside the window (taken from the pixel you start on)' },
  { tool: 'prediction-brush', key: 'g', label: 'Prediction brush', help: "copies the model's prediction under the brush" },
  { tool: 'fill', key: 'f', label: 'Fill', help: 'click inside a closed outline to fill it' },
  { tool: 'lasso', key: 'l', label: 'Lasso', help: 'draw an outline to fill it (Shift: erase it)' },
];

interface Props {
  editor: MaskEditor;
  /** No patient open: nothing to edit. */
  disabled: boolean;
  onAcceptPrediction(): void;
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
export function EditTools({ editor, disabled, onAcceptPrediction, onCopyFrom, onHelp }: Props) {
  const { saveState } = editor;
  return (
    // Until a patient is open there is nothing to edit: the tools are greyed out (a fieldset disables them all).
    <fieldset className="edit-tools" role="toolbar" aria-label="Editing tools" disabled={disabled} title={disabled ? 'Open a patient to edit its masks' : undefined}>
      {TOOLS.map((t) => (
        <button key={t.tool} className={editor.tool === t.tool ? 'active' : ''} aria-pressed={editor.tool === t.tool} onClick={() => editor.setTool(t.tool)} title={`${t.label} (${t.key.toUpperCase()}): ${t.help}`}>
          {t.label}
        </button>
      ))}
      <label title="[ and ]">Size <input type="range" min={0.5} max={32} step={0.5} value={editor.radius} onChange={(e) => editor.setRadius(Number(e.target.value))} aria-label="Brush size" /> {editor.radius}</label>
      {editor.tool === 'threshold' && <RangeControls range={editor.range} onRange={editor.setRange} />}
      <button onClick={onAcceptPrediction} title="A: replace this slice's mask with the thresholded prediction">Accept prediction</button>
      <button onClick={() => editor.fillHoles()} title="H">Fill holes</button>
      <button onClick={() => onCopyFrom(-1)} title=",: copy the previous slice's mask">↑ copy</button>
      <button onClick={() => onCopyFrom(1)} title=".: copy the next slice's mask">↓ copy</button>
      <button onClick={() => editor.clearSlice()} title="Delete: clear this slice's mask">Clear</button>
      <button onClick={() => editor.undo()} disabled={!editor.canUndo} title="Ctrl+Z">Undo</button>
      <button onClick={() => editor.redo()} disabled={!editor.canRedo} title="Ctrl+Shift+Z">Redo</button>
      <span className={`save-state${saveState.error ? ' error' : ''}`} data-testid="save-state">
        {saveState.error ?? (saveState.pending > 0 ? 'Saving…' : 'All edits saved')}
      </span>
      <button onClick={onHelp} title="?">?</button>
    </fieldset>
  );
}
