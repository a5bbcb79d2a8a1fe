// The editor's tools by name, key and help text: the command table (keys, help overlay, menu) is generated from
// this list, and the editor of src/editing implements one tool per id.

/** Every tool the editor has. `navigate` takes no pointer input: the viewer pans with it. */
export type ToolId = 'navigate' | 'brush' | 'eraser' | 'threshold' | 'prediction-brush' | 'fill' | 'lasso' | 'click';

/** A tool's name, key and what it does: the toolbar, the help overlay and the key table all read this list. */
export interface ToolInfo {
  id: ToolId;
  key: string;
  label: string;
  help: string;
}

export const TOOL_LIST: readonly ToolInfo[] = [
  { id: 'navigate', key: 'v', label: 'Navigate', help: 'left-drag pans' },
  { id: 'brush', key: 'b', label: 'Brush', help: 'paint the lesion' },
  { id: 'eraser', key: 'e', label: 'Eraser', help: 'erase the mask' },
  { id: 'threshold', key: 't', label: 'Threshold brush', help: 'paints only FLAIR values inside the window (taken from the pixel you start on)' },
  { id: 'prediction-brush', key: 'g', label: 'Prediction brush', help: "copies the model's prediction under the brush" },
  { id: 'fill', key: 'f', label: 'Fill', help: 'click inside a closed outline to fill it' },
  { id: 'lasso', key: 'l', label: 'Lasso', help: 'draw an outline to fill it (Shift: erase it)' },
  {
    id: 'click', key: 'k', label: 'Click to segment',
    help: 'click: lesion here; right click or Shift-click: not lesion; the model proposes a mask (dashed outline), Enter accepts it, Esc discards it',
  },
];
