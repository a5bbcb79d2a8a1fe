// Propagation through a volume (issue #29): one click on the slice with the most lesion, then each accepted mask
// is the prompt of the next slice, up and down, until the network's mask comes back empty (the lesion ended).
import { nextClick } from './clicks.js';
import { refineMasks, type InteractivePredictor } from './protocol.js';

/** A volume as propagation needs it: per slice, its normalised image (input size), truth and proposal (own size). */
export interface PropagationVolume {
  images: readonly Float32Array[];
  truths: readonly Uint8Array[];
  proposals: readonly Uint8Array[];
  width: number;
  height: number;
}

/**
 * The masks propagation gives every slice (empty beyond where the lesion ended), starting from one simulated click
 * on the largest lesion slice's proposal; null for a volume without lesion (nowhere to start).
 */
export async function propagateVolume(predict: InteractivePredictor, volume: PropagationVolume, size: number): Promise<Uint8Array[] | null> {
  const { images, truths, proposals, width, height } = volume;
  const areas = truths.map((t) => t.reduce((n, v) => n + (v ? 1 : 0), 0));
  const start = areas.indexOf(Math.max(...areas));
  if (areas[start] === 0) return null;
  const out: Uint8Array[] = truths.map(() => new Uint8Array(width * height));
  const click = nextClick(proposals[start]!, truths[start]!, width, height);
  const [first] = click
    ? await refineMasks(predict, [{ image: images[start]!, width, height, clicks: [click], mask: proposals[start]! }], size)
    : [proposals[start]!];
  out[start] = first!;
  for (const step of [1, -1]) {
    let prompt = first!;
    for (let s = start + step; s >= 0 && s < truths.length; s += step) {
      const [mask] = await refineMasks(predict, [{ image: images[s]!, width, height, clicks: [], mask: prompt }], size);
      if (!mask!.some((v) => v !== 0)) break;
      out[s] = mask!;
      prompt = mask!;
    }
  }
  return out;
}
