import type { ToolId } from './tool.js';

// The list itself is part of the contract (the command table is generated from it); the editor re-exports it.
export { TOOL_LIST, type ToolInfo } from '../../contract/tools.js';

/** The tools that paint under a round brush (the viewer shows the brush ring for these). */
export const BRUSH_TOOLS: ReadonlySet<ToolId> = new Set(['brush', 'eraser', 'threshold', 'prediction-brush']);
