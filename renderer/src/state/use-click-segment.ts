import { useCallback, useEffect, useRef } from 'react';
import type { RendererApi, SliceListing } from '../../../src/contract/index.js';
import type { EditorHandle } from './use-editor.js';
import type { Notifications } from './use-notifications.js';

/** Click to segment on this page: what the click tool's clicks ask of the model, Enter, Esc and propagation. */
export interface ClickSegment {
  accept(): void;
  /** Esc: drops the proposal; false when there was none (Esc then does what it does otherwise). */
  discard(): boolean;
  propagate(): Promise<void>;
}

/**
 * Binds the editor's click tool to the model (`clicks:propose`, `clicks:propagate`): choosing the tool warms the
 * click engine (and says when it is still loading); each click asks for the proposal of all the slice's clicks,
 * which the editor shows until it is accepted or discarded.
 */
export function useClickSegment(api: RendererApi, { editor, state }: EditorHandle, slices: readonly SliceListing[], say: Notifications): ClickSegment {
  const { setStatus, notify, report } = say;
  const sliceId = editor.sliceId;
  const clicking = state.tool === 'click';
  useEffect(() => {
    if (!clicking || sliceId === null) return;
    void api.request('clicks:propose', { sliceId, clicks: [] }).then((answer) => {
      if (answer.engine === 'loading') setStatus('Loading the click model… your first click waits for it.');
    }, () => undefined); // the first click reports what is wrong
  }, [api, clicking, sliceId, setStatus]);

  const session = state.clicks;
  const asked = useRef('');
  // A click is asked for at the press, not the release (a click's press-to-release is ~100 ms of the user's wait);
  // if the press becomes a box drag, that answer is dropped (it names a session since replaced), and the one pass
  // it cost runs while the box is dragged.
  useEffect(() => {
    if (!session || (session.clicks.length === 0 && !session.box)) return;
    const key = `${session.id}:${session.clicks.length}`;
    if (asked.current === key) return;
    asked.current = key;
    const count = session.clicks.length;
    const { box } = session;
    api.request('clicks:propose', { sliceId: session.sliceId, clicks: session.clicks, ...(box && { box }) }).then((answer) => {
      (window.brainsegClickAnswered ??= []).push({ clicks: count, at: performance.now() });
      editor.answerClicks(session.sliceId, count, answer.mask, session.id);
      const what = `${box ? 'the box' : ''}${box && count ? ' and ' : ''}${count ? `${count} click${count === 1 ? '' : 's'}` : ''}`;
      setStatus(answer.notice ?? `Proposal for ${what}: Enter accepts it as the mask, Esc discards it.`);
    }, report);
  }, [api, editor, session, setStatus, report]);

  const accept = useCallback(() => {
    if (!editor.getState().clicks) return;
    const problem = editor.acceptClicks();
    if (problem) setStatus(problem);
    else notify('Accepted the click proposal as the mask.', 'info', () => editor.undo());
  }, [editor, notify, setStatus]);

  const discard = useCallback(() => {
    const had = editor.discardClicks();
    if (had) setStatus('Discarded the click proposal.');
    return had;
  }, [editor, setStatus]);

  const propagate = useCallback(async () => {
    const id = editor.sliceId;
    const mask = editor.mask;
    const number = slices.find((s) => s.id === id)?.number;
    if (id === null || !mask?.some((v) => v)) return setStatus('Propagate carries this slice\'s mask to its neighbours: give the slice a mask first.');
    try {
      setStatus(`Propagating slice ${number}'s mask…`);
      const masks = await api.request('clicks:propagate', { sliceId: id, mask: mask.slice() });
      if (masks.length === 0) return setStatus(`The lesion ends at slice ${number}: nothing to propagate.`);
      const stored = await Promise.all(masks.map((m) => api.request('masks:get-current', { sliceId: m.sliceId })));
      const changed = editor.setSlices('propagate', masks.map((m, i) => ({ ...m, data: m.mask, stored: { mask: stored[i]!.data, versionId: stored[i]!.versionId } })));
      const numbers = changed.map((c) => slices.find((s) => s.id === c)?.number).join(', ');
      notify(`Propagated slice ${number}'s mask to ${changed.length} slice${changed.length === 1 ? '' : 's'}: ${numbers}.`, 'info', () => editor.undoSlices(changed));
    } catch (error) {
      report(error);
    }
  }, [api, editor, slices, notify, report, setStatus]);

  return { accept, discard, propagate };
}
