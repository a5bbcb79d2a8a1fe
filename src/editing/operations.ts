/** What a radiologist's edit can be: each saved mask version records the one that made it. */
export const EDIT_OPERATIONS = [
  'brush', 'erase', 'threshold-brush', 'prediction-brush', 'fill', 'lasso', 'lasso-erase',
  'fill-holes', 'accept', 'clear', 'copy', 'revert', 'undo', 'redo',
] as const;
export type EditOperation = (typeof EDIT_OPERATIONS)[number];

/** Everything that can make a mask version: the edits, plus `import` (the dataset's own mask) and `file` (a mask loaded by the CLI). */
export const MASK_OPERATIONS = ['import', 'file', ...EDIT_OPERATIONS] as const;
export type MaskOperation = (typeof MASK_OPERATIONS)[number];
