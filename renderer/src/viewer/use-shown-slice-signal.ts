import { useEffect } from 'react';

/**
 * Records when a slice reached the screen (the frame after its image was drawn): the end-to-end tests and the
 * benchmarks read it to measure key-press-to-image latency.
 */
export function useShownSliceSignal(container: React.RefObject<HTMLDivElement | null>, data: { sliceId: number } | null, drawn: unknown): void {
  useEffect(() => {
    if (!data) return;
    const { sliceId } = data;
    const frame = requestAnimationFrame(() => {
      container.current?.setAttribute('data-shown-slice', String(sliceId));
      window.dispatchEvent(new CustomEvent('brainseg:slice-shown', { detail: { sliceId, at: performance.now() } }));
    });
    return () => cancelAnimationFrame(frame);
  }, [container, data, drawn]);
}
