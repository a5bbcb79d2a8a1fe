import { useCallback } from 'react';
import type { RendererApi, SliceApproval, SliceListing } from '../../../src/contract/index.js';
import type { EditorHandle } from './use-editor.js';
import type { Notifications } from './use-notifications.js';

/** Whole-slice edits that say on screen what they did, with Undo in the message. */
export interface EditActions {
  acceptPrediction(): void;
  clearSlice(): void;
  copyFrom(delta: -1 | 1): Promise<void>;
  revertTo(versionId: number, read: (versionId: number) => Promise<Uint8Array>): Promise<void>;
  /** Approves the shown slice's saved mask as its second reader; answers the approval to show in the listing. */
  approveSlice(): Promise<SliceApproval | null>;
}

/** `predictionModelId`: the model whose prediction of the shown slice is on screen (null: none). */
export function useEditActions(api: RendererApi, { editor }: EditorHandle, slices: readonly SliceListing[], index: number, predictionModelId: number | null, say: Notifications): EditActions {
  const { notify, report, setStatus } = say;
  const undo = useCallback(() => editor.undo(), [editor]);
  const shown = slices[index]?.number ?? '';

  const acceptPrediction = useCallback(() => {
    const problem = editor.acceptPrediction();
    if (problem) notify(problem, 'error');
    else notify(`Accepted model ${predictionModelId ?? ''}'s prediction as slice ${shown}'s mask.`, 'info', undo);
  }, [editor, notify, undo, shown, predictionModelId]);

  const clearSlice = useCallback(() => {
    editor.clearSlice();
    notify(`Cleared slice ${shown}'s mask.`, 'info', undo);
  }, [editor, notify, undo, shown]);

  const copyFrom = useCallback(async (delta: -1 | 1) => {
    const neighbour = slices[index + delta];
    if (!neighbour) return setStatus(`There is no ${delta < 0 ? 'previous' : 'next'} slice.`);
    try {
      const mask = await api.request('masks:get-current', { sliceId: neighbour.id });
      editor.setWhole(mask.data, 'copy');
      notify(`Copied slice ${neighbour.number}'s mask onto slice ${shown}.`, 'info', undo);
    } catch (e) {
      report(e);
    }
  }, [api, editor, slices, index, notify, report, setStatus, undo, shown]);

  const revertTo = useCallback(async (versionId: number, read: (versionId: number) => Promise<Uint8Array>) => {
    try {
      editor.setWhole(await read(versionId), 'revert');
    } catch (e) {
      report(e);
    }
  }, [editor, report]);

  const approveSlice = useCallback(async () => {
    const slice = slices[index];
    if (!slice) return null;
    try {
      await editor.flush(); // what is approved is what is saved: strokes still on their way go first
      const approval = await api.request('masks:approve', { sliceId: slice.id });
      notify(`Approved slice ${slice.number} (mask version ${approval.versionId}) as ${approval.reviewer}.`, 'success');
      return approval;
    } catch (error) {
      report(error);
      return null;
    }
  }, [api, editor, slices, index, notify, report]);

  return { acceptPrediction, clearSlice, copyFrom, revertTo, approveSlice };
}
