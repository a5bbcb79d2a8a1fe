import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { TOOL_LIST } from '../../../src/editing/tools/tool-list.js';
import { readStored, writeStored } from '../logic/session-store.js';
import type { MaskSaveResult, RendererApi } from '../../../src/contract/index.js';
import { Editor, type EditorSlice, type EditorState } from '../../../src/editing/editor.js';
import { isKeptHistories } from '../../../src/editing/kept-history.js';
import type { SliceData } from './use-slice-data.js';

/** The page's editor and what it shows now. */
export interface EditorHandle {
  editor: Editor<MaskSaveResult>;
  state: EditorState;
}

function toEditorSlice(data: SliceData): EditorSlice {
  return {
    sliceId: data.sliceId, width: data.mask.width, height: data.mask.height, mask: data.mask.data, versionId: data.mask.versionId, image: data.image,
    // A preview (the slice predicted alone, before the volume's step) is for looking at, not for accepting.
    prediction: data.prediction && !data.previewed ? { modelId: data.prediction.modelId, data: data.prediction.data } : null,
  };
}

interface KeptTool {
  tool: EditorState['tool'];
  radius: number;
}
const isKeptTool = (v: unknown): v is KeptTool => typeof v === 'object' && v !== null &&
  TOOL_LIST.some((t) => t.id === (v as KeptTool).tool) && Number.isFinite((v as KeptTool).radius);

/** The tool and brush size of the last session of this tab, put back into a new editor. */
function restoreTool(editor: Editor<MaskSaveResult>): Editor<MaskSaveResult> {
  const kept = readStored<KeptTool | null>('tool', null, (v): v is KeptTool | null => isKeptTool(v));
  if (kept) {
    editor.setTool(kept.tool);
    editor.setRadius(kept.radius);
  }
  return editor;
}

/** The undo histories of the last session of this tab: each slice takes its own up when it loads, if unchanged since. */
function restoreUndo(editor: Editor<MaskSaveResult>): Editor<MaskSaveResult> {
  editor.restoreHistories(readStored('undo', [], isKeptHistories));
  return editor;
}

/**
 * Binds the headless {@link Editor} to React: one editor per page, saving through the API; the slice on screen is
 * handed to it while rendering, so the mask drawn is always the shown slice's.
 */
export function useEditor(api: RendererApi, data: SliceData | null, threshold: number, onSaved: (saved: MaskSaveResult) => void): EditorHandle {
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;
  const [editor] = useState(() => restoreUndo(restoreTool(new Editor<MaskSaveResult>({
    save: (mask) => api.request('masks:save', mask),
    onSaved: (_sliceId, saved) => onSavedRef.current(saved),
    versionOf: (saved) => saved.version.id,
  }))));
  const shown = useRef<SliceData | null>(null);
  if (shown.current !== data) {
    shown.current = data;
    editor.setSlice(data && toEditorSlice(data));
  }
  editor.threshold = threshold;
  const state = useSyncExternalStore(editor.subscribe, editor.getState);
  // Kept across a reload of the tab (restoreTool puts them back).
  useEffect(() => writeStored('tool', { tool: state.tool, radius: state.radius }), [state.tool, state.radius]);
  // So is the undo history, as of each slice's last finished save: an edit or a save's end rewrites it.
  useEffect(() => writeStored('undo', editor.keptHistories()), [editor, state.revision, state.saveState]);
  // One object per editor state, so memoised views (the viewer, the toolbar) skip renders that change neither.
  return useMemo(() => ({ editor, state }), [editor, state]);
}
