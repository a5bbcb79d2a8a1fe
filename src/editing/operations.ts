// The edit operations are named in the contract (a mask save says which one made it); the editor re-exports them.
export { EDIT_OPERATIONS, MASK_OPERATIONS, type EditOperation, type MaskOperation } from '../contract/masks.js';
