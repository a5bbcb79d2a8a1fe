import { memo } from 'react';
import type { EditorHandle } from '../state/use-editor.js';
import { withShortcut } from '../logic/shortcuts.js';

interface Props {
  editing: EditorHandle;
  /** No patient open: nothing to edit. */
  disabled: boolean;
  onAcceptPrediction(): void;
  onClear(): void;
  onCopyFrom(delta: -1 | 1): void;
  onHelp(): void;
}

/** Below the tools, beside the image: whole-slice actions, undo/redo and whether the edits are saved (the tools: ToolPalette). */
export const EditTools = memo(function EditTools({ editing: { editor, state }, disabled, onAcceptPrediction, onClear, onCopyFrom, onHelp }: Props) {
  const { saveState } = state;
  return (
    // Until a patient is open there is nothing to edit: the tools are greyed out (a fieldset disables them all).
    <fieldset className="edit-tools" role="toolbar" aria-label="Slice actions" disabled={disabled} title={disabled ? 'Open a patient to edit its masks' : undefined}>
      <div className="edit-actions">
        <button onClick={onAcceptPrediction} title="A: replace this slice's mask with the thresholded prediction">Accept prediction</button>
        <button onClick={() => editor.fillHoles()} title="H">Fill holes</button>
        <button onClick={() => onCopyFrom(-1)} title=",: copy the previous slice's mask">↑ copy</button>
        <button onClick={() => onCopyFrom(1)} title=".: copy the next slice's mask">↓ copy</button>
        <button onClick={onClear} title="Delete: clear this slice's mask">Clear</button>
      </div>
      <div className="edit-status">
        <button onClick={() => editor.undo()} disabled={!state.canUndo} title={withShortcut('Undo (per slice)', 'edit:undo')}>Undo</button>
        <button onClick={() => editor.redo()} disabled={!state.canRedo} title={withShortcut('Redo (per slice)', 'edit:redo')}>Redo</button>
        <span className={`save-state${saveState.error ? ' error' : ''}`} data-testid="save-state" title={saveState.error ?? undefined}>
          {saveState.error ?? (saveState.pending > 0 ? 'Saving…' : 'All edits saved')}
        </span>
        <button onClick={onHelp} title="?">?</button>
      </div>
    </fieldset>
  );
});
