import { useEffect, useState } from 'react';

/** Wraps RGBA pixels in a canvas Konva can draw (with no smoothing, so pixels stay square when zoomed). */
export function toCanvas(rgba: Uint8ClampedArray, width: number, height: number, canvas = document.createElement('canvas')): HTMLCanvasElement {
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  canvas.getContext('2d')!.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return canvas;
}

/** The element's client size, following resizes. */
export function useSize(ref: React.RefObject<HTMLDivElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 512, height: 512 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setSize({ width: element.clientWidth, height: element.clientHeight }));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
