import type { CommandHandlers } from './use-commands.js';
import type { EditActions } from './use-edit-actions.js';
import type { EditorHandle } from './use-editor.js';

type EditingCommand = Extract<keyof CommandHandlers, `tool:${string}` | `brush:${string}`> | 'edit:undo' | 'edit:redo' | 'edit:accept-prediction' | 'edit:fill-holes' | 'edit:copy-previous' | 'edit:copy-next' | 'edit:clear';

/** The keys of the editing tools and of the slice actions (approval, which needs the navigation, is App's). */
export function editingCommands(editor: EditorHandle['editor'], actions: Pick<EditActions, 'acceptPrediction' | 'copyFrom' | 'clearSlice'>): Pick<CommandHandlers, EditingCommand> {
  return {
    'tool:navigate': () => editor.setTool('navigate'),
    'tool:brush': () => editor.setTool('brush'),
    'tool:eraser': () => editor.setTool('eraser'),
    'tool:threshold': () => editor.setTool('threshold'),
    'tool:prediction-brush': () => editor.setTool('prediction-brush'),
    'tool:fill': () => editor.setTool('fill'),
    'tool:lasso': () => editor.setTool('lasso'),
    'tool:click': () => editor.setTool('click'),
    'brush:smaller': () => editor.growRadius(-1),
    'brush:larger': () => editor.growRadius(1),
    'edit:undo': () => editor.undo(),
    'edit:redo': () => editor.redo(),
    'edit:accept-prediction': actions.acceptPrediction,
    'edit:fill-holes': () => editor.fillHoles(),
    'edit:copy-previous': () => void actions.copyFrom(-1),
    'edit:copy-next': () => void actions.copyFrom(1),
    'edit:clear': actions.clearSlice,
  };
}
