// The app's click-to-segment engine (issue #29): the interactive model kept loaded, the open patient's volume kept
// normalised, and the last proposal of each slice kept, so a click costs one forward pass.
import type { tf } from '../tf.js';
import { prepareVolume, type PreparedVolume } from '../dataset.js';
import type { JobPatient } from '../jobs.js';
import { loadModelWeights } from '../model-file.js';
import { resizeMaskNearest } from '../preprocess.js';
import { foldedCopy } from '../unet.js';
import type { MaskBox } from '../../contract/masks.js';
import { clipToBox } from './box-prompt.js';
import type { Click } from './clicks.js';
import { MAX_CLICKS_USED } from './encoding.js';
import { mergeAtClick } from './local-update.js';
import { predictInteractive } from './model.js';
import { propagationPrompt } from './propagate.js';
import { refineMasks } from './protocol.js';

/** One click request: a slice of a patient, its clicks (slice pixels, oldest first), and the 0-click proposal. */
export interface RefineRequest {
  patient: JobPatient;
  sliceIndex: number;
  clicks: readonly Click[];
  /** The automatic model's mask of the slice (0/1, slice resolution): what the first click refines. */
  proposal: Uint8Array;
  /** A box the answer is cut to (a box drag; its seed click comes first in `clicks`; box-prompt.ts). */
  box?: MaskBox;
}

/**
 * The clicks the pass for click `k` sees: the newest {@link MAX_CLICKS_USED} up to it, with a box's seed (the first
 * click) always among them. Windowed here rather than by the caller, so a click added to a long list still extends
 * the previous request (one pass) instead of shifting the whole list and replaying it.
 */
export function clicksSeenAt(clicks: readonly Click[], k: number, seedFirst: boolean): readonly Click[] {
  if (!seedFirst || k < MAX_CLICKS_USED) return clicks.slice(Math.max(0, k + 1 - MAX_CLICKS_USED), k + 1);
  return [clicks[0]!, ...clicks.slice(k + 2 - MAX_CLICKS_USED, k + 1)];
}

/** A slice's mask after propagation, by its index in the patient. */
export interface PropagatedSlice {
  sliceIndex: number;
  mask: Uint8Array;
}

/**
 * Holds the interactive model and the open patient's prepared volume. A request whose clicks extend the previous
 * request's on that slice by one refines the previous answer (as the model was trained: each click refines the
 * mask of the clicks before); any other starts from the proposal. Either way, one forward pass.
 */
export class ClickRefiner {
  private readonly loaded: Promise<{ model: tf.LayersModel; size: number }>;
  private volume: { key: string; prepared: Promise<PreparedVolume> } | null = null;
  private readonly last = new Map<number, { clicks: string; mask: Uint8Array }>();

  constructor(modelFile: string) {
    this.loaded = loadModelWeights(modelFile).then(({ model, shape }) => {
      if (shape.inputChannels !== 6) {
        model.dispose();
        throw new Error(`${modelFile} is not an interactive model (it takes ${shape.inputChannels ?? 3} input channels, not 6)`);
      }
      // Batch norm folded into the convolutions, as the automatic model predicts: one pass less per block.
      const folded = foldedCopy(model, shape);
      model.dispose();
      return { model: folded, size: shape.inputSize };
    });
  }

  /** Resolves once the model is loaded (rejects with why it cannot be). */
  async ready(): Promise<void> {
    await this.loaded;
  }

  /**
   * The slice's proposal after its clicks (0/1 at the slice's resolution); with no clicks, the proposal itself. Each
   * click refines the mask of the clicks before it, as the model was trained and is evaluated: a request that adds
   * one click to the slice's previous request costs one forward pass; any other (a click taken back, another
   * slice's clicks) is replayed click by click from the proposal.
   */
  async refine(request: RefineRequest): Promise<Uint8Array> {
    const { patient, sliceIndex, proposal } = request;
    const slice = patient.slices[sliceIndex];
    if (!slice) throw new Error(`patient ${patient.caseId} has no slice at index ${sliceIndex}`);
    if (request.clicks.length === 0) return proposal;
    const previous = this.last.get(slice.sliceId);
    const key = (c: readonly Click[]) => JSON.stringify([request.box ?? null, c]);
    const extendsPrevious = previous?.clicks === key(request.clicks.slice(0, -1));
    let mask = extendsPrevious ? previous!.mask : proposal;
    const first = extendsPrevious ? request.clicks.length - 1 : Math.max(0, request.clicks.length - MAX_CLICKS_USED);
    const { size } = await this.loaded;
    for (let k = first; k < request.clicks.length; k++) {
      const clicks = clicksSeenAt(request.clicks, k, request.box !== undefined);
      const [answer] = await this.run(patient, [{ index: sliceIndex, clicks, mask }]);
      // Taken where the newest click is about, as `brainseg eval --clicks` measures it (local-update.ts); a box's
      // answer never leaves the box.
      const merged = mergeAtClick(mask, answer!, clicks[clicks.length - 1]!, slice.width, slice.height, size);
      mask = request.box ? clipToBox(merged, request.box, slice.width, slice.height) : merged;
    }
    this.last.set(slice.sliceId, { clicks: key(request.clicks), mask });
    return mask;
  }

  /**
   * Carries an accepted mask to the neighbouring slices, up then down: each slice's mask is the network's answer
   * (no clicks) to a prompt led by the previous slice's mask — the slice's own automatic proposal where it overlaps
   * that mask (`propagationPrompt`) — until it comes back empty (the lesion ended) or the volume does. `proposals`:
   * per slice of the patient, the automatic model's mask at the slice's size, or null where there is none.
   */
  async propagate(patient: JobPatient, sliceIndex: number, accepted: Uint8Array, proposals: readonly (Uint8Array | null)[]): Promise<PropagatedSlice[]> {
    const out: PropagatedSlice[] = [];
    for (const step of [1, -1]) {
      let prompt = accepted;
      for (let s = sliceIndex + step; s >= 0 && s < patient.slices.length; s += step) {
        if (!prompt.some((v) => v !== 0)) break;
        const slicePrompt = propagationPrompt(resizeTo(prompt, patient, s - step, s), proposals[s] ?? null);
        const [mask] = await this.run(patient, [{ index: s, clicks: [], mask: slicePrompt }]);
        if (!mask!.some((v) => v !== 0)) break;
        out.push({ sliceIndex: s, mask: mask! });
        prompt = mask!;
      }
    }
    return out.sort((a, b) => a.sliceIndex - b.sliceIndex);
  }

  /** Frees the model. */
  async dispose(): Promise<void> {
    (await this.loaded.catch(() => null))?.model.dispose();
  }

  private async run(patient: JobPatient, items: { index: number; clicks: readonly Click[]; mask: Uint8Array }[]): Promise<Uint8Array[]> {
    const { model, size } = await this.loaded;
    const volume = await this.prepared(patient, size);
    const plane = size * size * 3;
    return refineMasks(
      (inputs, count) => predictInteractive(model, inputs, count, size),
      items.map(({ index, clicks, mask }) => {
        const slice = patient.slices[index]!;
        return { image: volume.images.subarray(index * plane, (index + 1) * plane), width: slice.width, height: slice.height, clicks, mask };
      }),
      size,
    );
  }

  /** The patient's normalised volume (normalisation is per volume), prepared once while the patient stays open. */
  private prepared(patient: JobPatient, size: number): Promise<PreparedVolume> {
    const key = `${patient.patientId}:${patient.slices.map((s) => s.sliceId).join(',')}`;
    if (this.volume?.key !== key) {
      this.last.clear();
      const imagesOnly = { ...patient, slices: patient.slices.map((s) => ({ ...s, mask: null })) };
      const prepared = prepareVolume(imagesOnly, size);
      prepared.catch(() => {
        if (this.volume?.prepared === prepared) this.volume = null;
      });
      this.volume = { key, prepared };
    }
    return this.volume.prepared;
  }
}

/** A mask of slice `from` at the resolution of slice `to` (slices of one patient may differ in size). */
function resizeTo(mask: Uint8Array, patient: JobPatient, from: number, to: number): Uint8Array {
  const a = patient.slices[from]!;
  const b = patient.slices[to]!;
  return a.width === b.width && a.height === b.height ? mask : resizeMaskNearest(mask, a.width, a.height, b.width, b.height);
}
