/**
 * Dice similarity of two binary volumes (any non-zero is foreground): 2|A∩B| / (|A|+|B|). Two empty volumes
 * agree perfectly (1).
 */
export function dice(predicted: Uint8Array, truth: Uint8Array): number {
  if (predicted.length !== truth.length) throw new Error('dice: volumes differ in size');
  let both = 0;
  let p = 0;
  let t = 0;
  for (let i = 0; i < predicted.length; i++) {
    const a = predicted[i] !== 0;
    const b = truth[i] !== 0;
    if (a) p++;
    if (b) t++;
    if (a && b) both++;
  }
  return p + t === 0 ? 1 : (2 * both) / (p + t);
}

/**
 * Labels the 6-connected components of a binary [depth, height, width] volume: `labels[i]` is 1…count for a
 * foreground voxel (in order of first voxel), 0 for background.
 */
export function labelComponents(volume: Uint8Array, depth: number, height: number, width: number): { labels: Int32Array; count: number } {
  const labels = new Int32Array(volume.length);
  const stack = new Int32Array(volume.length);
  let count = 0;
  const plane = height * width;
  // Neighbours go through a plain function, not a closure over `top`: one closure per visited voxel made this the
  // costliest part of a validation (millions of voxels, many specks, before a model has learned anything).
  for (let start = 0; start < volume.length; start++) {
    if (volume[start] === 0 || labels[start] !== 0) continue;
    const label = ++count;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const i = stack[--top]!;
      const z = Math.floor(i / plane);
      const y = Math.floor((i % plane) / width);
      const x = i % width;
      if (x > 0) top = claim(i - 1, volume, labels, label, stack, top);
      if (x < width - 1) top = claim(i + 1, volume, labels, label, stack, top);
      if (y > 0) top = claim(i - width, volume, labels, label, stack, top);
      if (y < height - 1) top = claim(i + width, volume, labels, label, stack, top);
      if (z > 0) top = claim(i - plane, volume, labels, label, stack, top);
      if (z < depth - 1) top = claim(i + plane, volume, labels, label, stack, top);
    }
  }
  return { labels, count };
}

/** Labels voxel `j` and pushes it if it is unlabelled foreground; returns the stack's new top. */
function claim(j: number, volume: Uint8Array, labels: Int32Array, label: number, stack: Int32Array, top: number): number {
  if (volume[j] === 0 || labels[j] !== 0) return top;
  labels[j] = label;
  stack[top] = j;
  return top + 1;
}

/**
 * Keeps only the largest 6-connected component of a binary volume [depth, height, width], as Buda's
 * post-processing does: a glioma is one lesion, so scattered specks are false positives.
 */
export function largestConnectedComponent(volume: Uint8Array, depth: number, height: number, width: number): Uint8Array {
  const { labels, count } = labelComponents(volume, depth, height, width);
  const sizes = new Int32Array(count + 1);
  for (const label of labels) if (label) sizes[label] = sizes[label]! + 1;
  // The first label of the largest size wins (label 0, the background, has size 0 here).
  let best = 0;
  for (let label = 1; label <= count; label++) if (sizes[label]! > sizes[best]!) best = label;
  const out = new Uint8Array(volume.length);
  for (let i = 0; i < volume.length; i++) out[i] = labels[i] === best && best !== 0 ? 1 : 0;
  return out;
}

/** Mean and median of a list (NaN for an empty one). */
export function summarize(values: readonly number[]): { mean: number; median: number } {
  if (values.length === 0) return { mean: Number.NaN, median: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    median: sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2,
  };
}

/**
 * Soft Dice of 8-bit probabilities (0–255 ↔ 0–1) against a binary mask: 2Σpm / (Σp + Σm). It moves with every bit
 * of learning, where a thresholded Dice of a weak model jumps; 1 when both are empty.
 */
export function softDice(probabilities: Uint8Array, mask: Uint8Array): number {
  let overlap = 0;
  let sumP = 0;
  let sumM = 0;
  for (let i = 0; i < mask.length; i++) {
    const p = probabilities[i]! / 255;
    overlap += p * (mask[i] ? 1 : 0);
    sumP += p;
    sumM += mask[i] ? 1 : 0;
  }
  return sumP + sumM === 0 ? 1 : (2 * overlap) / (sumP + sumM);
}
