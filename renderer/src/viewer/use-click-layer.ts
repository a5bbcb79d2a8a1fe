import { useEffect, useMemo } from 'react';
import { clickProposalOverlay } from '../../../src/editing/click-overlay.js';
import type { EditorState } from '../../../src/editing/editor.js';
import { toCanvas } from './canvas.js';

/** Per click, when its proposal reached the screen (ms, performance.now()): the click benchmark reads these. */
declare global {
  interface Window {
    brainsegClickShown?: { clicks: number; at: number }[];
    /** Per click, when its proposal arrived from the server (before it is drawn): the benchmark's split. */
    brainsegClickAnswered?: { clicks: number; at: number }[];
  }
}

/**
 * The click tool's layer: the proposal's outline, the clicks and the box (src/editing/click-overlay.ts), or the
 * box being dragged, or null when there is no click session on the shown slice. Reports when each answered
 * proposal has been drawn.
 */
export function useClickLayer(
  { clicks: session, clickDrag: drag }: Pick<EditorState, 'clicks' | 'clickDrag'>,
  image: { width: number; height: number } | undefined,
  sliceId: number | undefined,
): HTMLCanvasElement | null {
  const canvas = useMemo(() => {
    if (!image) return null;
    if (drag) return toCanvas(clickProposalOverlay(null, [], image.width, image.height, drag), image.width, image.height);
    if (!session || session.sliceId !== sliceId) return null;
    return toCanvas(clickProposalOverlay(session.proposal, session.clicks, image.width, image.height, session.box), image.width, image.height);
  }, [session, drag, image, sliceId]);
  // Once per answer (a new click redraws the layer too, with the previous answer: that is not its proposal).
  const answered = session?.proposal ? session.answered : 0;
  const sessionId = session?.id;
  useEffect(() => {
    if (!answered) return;
    const frame = requestAnimationFrame(() => (window.brainsegClickShown ??= []).push({ clicks: answered, at: performance.now() }));
    return () => cancelAnimationFrame(frame);
  }, [answered, sessionId]);
  return canvas;
}
