import type { ToolId } from './tool.js';

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
];

/** The tools that paint under a round brush (the viewer shows the brush ring for these). */
export const BRUSH_TOOLS: ReadonlySet<ToolId> = new Set(['brush', 'eraser', 'threshold', 'prediction-brush']);
