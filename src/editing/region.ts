// Region tools on a binary mask: flood fill, hole filling, polygon (lasso) fill, whole-slice operations.

/**
 * Sets the 4-connected region of pixels sharing the value at (x, y) to `value`: clicking inside a closed
 * outline fills it; clicking a stray blob with value 0 erases it. Returns the number of pixels changed.
 */
export function floodFill(mask: Uint8Array, width: number, height: number, x: number, y: number, value: 0 | 1): number {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  const start = y * width + x;
  const target = mask[start]!;
  if (target === value) return 0;
  const stack = new Int32Array(width * height);
  let top = 0;
  stack[top++] = start;
  mask[start] = value;
  let changed = 1;
  while (top > 0) {
    const i = stack[--top]!;
    const px = i % width;
    const neighbours = [px > 0 ? i - 1 : -1, px < width - 1 ? i + 1 : -1, i >= width ? i - width : -1, i < width * (height - 1) ? i + width : -1];
    for (const n of neighbours) {
      if (n >= 0 && mask[n] === target) {
        mask[n] = value;
        stack[top++] = n;
        changed++;
      }
    }
  }
  return changed;
}

/**
 * The fill tool: fills the background region around (x, y) with 1 if it is enclosed, and returns the pixels
 * filled; returns null (and changes nothing) when the region reaches the image edge — filling it would paint
 * the whole background, because the outline is not closed. Clicking inside the mask changes nothing.
 */
export function fillEnclosedRegion(mask: Uint8Array, width: number, height: number, x: number, y: number): number | null {
  if (x < 0 || y < 0 || x >= width || y >= height || mask[y * width + x]) return 0;
  const probe = mask.slice();
  const filled = floodFill(probe, width, height, x, y, 1);
  const reached = (i: number) => probe[i] !== mask[i];
  for (let i = 0; i < width; i++) if (reached(i) || reached((height - 1) * width + i)) return null;
  for (let j = 0; j < height; j++) if (reached(j * width) || reached(j * width + width - 1)) return null;
  mask.set(probe);
  return filled;
}

/** Fills every background region that does not reach the image border (holes inside the lesion). */
export function fillHoles(mask: Uint8Array, width: number, height: number): number {
  const outside = new Uint8Array(width * height);
  const stack: number[] = [];
  const seed = (i: number) => {
    if (mask[i] === 0 && outside[i] === 0) {
      outside[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % width;
    if (x > 0) seed(i - 1);
    if (x < width - 1) seed(i + 1);
    if (i >= width) seed(i - width);
    if (i < width * (height - 1)) seed(i + width);
  }
  let changed = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0 && outside[i] === 0) {
      mask[i] = 1;
      changed++;
    }
  }
  return changed;
}

/**
 * Sets every pixel whose centre is inside the polygon (even-odd rule) to `value`: the lasso. Points are in
 * image pixels; the outline closes itself.
 */
export function fillPolygon(mask: Uint8Array, width: number, height: number, points: readonly { x: number; y: number }[], value: 0 | 1): number {
  if (points.length < 3) return 0;
  const ys = points.map((p) => p.y);
  const yStart = Math.max(0, Math.floor(Math.min(...ys)));
  const yEnd = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  let changed = 0;
  const crossings: number[] = [];
  for (let y = yStart; y <= yEnd; y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (let k = 0; k < points.length; k++) {
      const a = points[k]!;
      const b = points[(k + 1) % points.length]!;
      if ((a.y <= cy) !== (b.y <= cy)) crossings.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const xStart = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const xEnd = Math.min(width - 1, Math.floor(crossings[k + 1]! - 0.5));
      for (let x = xStart; x <= xEnd; x++) {
        const i = y * width + x;
        if (mask[i] !== value) {
          mask[i] = value;
          changed++;
        }
      }
    }
  }
  return changed;
}

/** Replaces the whole mask (accept prediction, clear slice, copy from a neighbour); returns the pixels changed. */
export function replaceMask(mask: Uint8Array, next: Uint8Array): number {
  if (next.length !== mask.length) throw new Error(`mask sizes differ: ${next.length} vs ${mask.length} pixels`);
  let changed = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = next[i] ? 1 : 0;
    if (mask[i] !== v) {
      mask[i] = v;
      changed++;
    }
  }
  return changed;
}

/**
 * A mask grown by `radius` pixels in every direction (a square neighbourhood, i.e. Chebyshev dilation): "the
 * lesion is larger than that". Returns a new mask.
 */
export function dilateMask(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  // Separable: a horizontal pass, then a vertical one, each O(pixels × radius).
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (let xx = Math.max(0, x - radius); xx <= Math.min(width - 1, x + radius); xx++) rows[y * width + xx] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!rows[y * width + x]) continue;
      for (let yy = Math.max(0, y - radius); yy <= Math.min(height - 1, y + radius); yy++) out[yy * width + x] = 1;
    }
  }
  return out;
}
