// Training samples for the interactive network, RITM-style iterative training: each sample starts from a prompt
// mask (the automatic model's proposal, a neighbouring slice's mask as propagation would give, or nothing), takes
// simulated clicks over a few rounds run without gradient, and the training step sees the last state.
import { augmentSample, drawAugmentation, type AugmentationLimits } from '../augment.js';
import type { PreparedVolume } from '../dataset.js';
import { INPUT_CHANNELS } from '../config.js';
import { nextClick, type Click } from './clicks.js';
import { assembleInput, INTERACTIVE_CHANNELS } from './encoding.js';
import { mergeAtClick } from './local-update.js';
import { refineMasks, type InteractivePredictor } from './protocol.js';

/** Where a sample's prompt mask comes from, and how often (shares sum to 1). */
export const PROMPT_SHARES = { proposal: 0.6, neighbour: 0.25, empty: 0.15 } as const;
export type PromptKind = keyof typeof PROMPT_SHARES;
/** By default at most this many clicks are simulated with the network before the training step (RITM uses 3). */
export const MAX_ROUNDS = 3;

/** One augmented slice: its image (input size, 3 channels), truth and prompt (0/1). */
export interface InteractiveSample {
  image: Float32Array;
  truth: Uint8Array;
  prompt: Uint8Array;
  kind: PromptKind;
}

/** Which prompt a draw of `u` in [0, 1) gives. */
export function promptKind(u: number): PromptKind {
  if (u < PROMPT_SHARES.proposal) return 'proposal';
  return u < PROMPT_SHARES.proposal + PROMPT_SHARES.neighbour ? 'neighbour' : 'empty';
}

/**
 * One slice of a volume with its prompt, augmented as the automatic model's training is (the prompt moves with
 * the image: it is interpolated as a fourth channel without intensity changes, then thresholded at 0.5).
 */
export function drawSample(
  volume: PreparedVolume,
  proposals: Uint8Array,
  slice: number,
  random: () => number,
  limits: AugmentationLimits,
): InteractiveSample {
  const size = volume.size;
  const plane = size * size;
  const count = volume.patient.slices.length;
  const kind = promptKind(random());
  let prompt: Uint8Array;
  if (kind === 'proposal') prompt = proposals.subarray(slice * plane, (slice + 1) * plane);
  else if (kind === 'neighbour') {
    let neighbour = slice + (random() < 0.5 ? -1 : 1);
    if (neighbour < 0 || neighbour >= count) neighbour = slice * 2 - neighbour;
    prompt = neighbour >= 0 && neighbour < count ? volume.masks.subarray(neighbour * plane, (neighbour + 1) * plane) : new Uint8Array(plane);
  } else prompt = new Uint8Array(plane);
  const packed = new Float32Array(plane * (INPUT_CHANNELS + 1));
  const image = volume.images.subarray(slice * plane * INPUT_CHANNELS, (slice + 1) * plane * INPUT_CHANNELS);
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < INPUT_CHANNELS; k++) packed[i * (INPUT_CHANNELS + 1) + k] = image[i * INPUT_CHANNELS + k]!;
    packed[i * (INPUT_CHANNELS + 1) + INPUT_CHANNELS] = prompt[i]!;
  }
  const augmentation = drawAugmentation(random, limits, INPUT_CHANNELS);
  if (augmentation.gains) {
    augmentation.gains = [...augmentation.gains, 1];
    augmentation.shifts = [...augmentation.shifts!, 0];
  }
  const truth = volume.masks.subarray(slice * plane, (slice + 1) * plane);
  const augmented = augmentSample(packed, truth, size, INPUT_CHANNELS + 1, augmentation);
  const outImage = new Float32Array(plane * INPUT_CHANNELS);
  const outPrompt = new Uint8Array(plane);
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < INPUT_CHANNELS; k++) outImage[i * INPUT_CHANNELS + k] = augmented.image[i * (INPUT_CHANNELS + 1) + k]!;
    outPrompt[i] = augmented.image[i * (INPUT_CHANNELS + 1) + INPUT_CHANNELS]! >= 0.5 ? 1 : 0;
  }
  return { image: outImage, truth: augmented.mask, prompt: outPrompt, kind };
}

/**
 * Plays the click rounds for a batch of samples with the current network (no gradient) and returns the last
 * state of each as network inputs ([count, size, size, 6]) and targets ([count, size, size]). A proposal or empty
 * prompt always gets its first click (the 0-click proposal is the automatic model's own); a neighbour's mask is
 * half the time used alone, as propagation uses it. Then 0…{@link MAX_ROUNDS} more clicks, each placed on the
 * network's mask of the round before (`maxRounds`: the run's `clickRounds`).
 */
export async function playRounds(
  predict: InteractivePredictor,
  samples: readonly InteractiveSample[],
  random: () => number,
  size: number,
  maxRounds = MAX_ROUNDS,
): Promise<{ xs: Float32Array; ys: Float32Array; count: number; clicks: number }> {
  const states = samples.map((s) => {
    const clicks: Click[] = [];
    if (s.kind !== 'neighbour' || random() < 0.5) {
      const first = nextClick(s.prompt, s.truth, size, size);
      if (first) clicks.push(first);
    }
    return { clicks, mask: s.prompt, rounds: Math.floor(random() * (maxRounds + 1)) };
  });
  for (let round = 0; round < maxRounds; round++) {
    const active = states.flatMap((state, i) => (state.rounds > round ? [i] : []));
    if (active.length === 0) break;
    const masks = await refineMasks(predict, active.map((i) => ({
      image: samples[i]!.image, width: size, height: size, clicks: states[i]!.clicks, mask: states[i]!.mask,
    })), size);
    active.forEach((i, j) => {
      const state = states[i]!;
      // The app and the evaluation take a click's answer where the click is about; training's rounds do the same.
      state.mask = state.clicks.length ? mergeAtClick(state.mask, masks[j]!, state.clicks[state.clicks.length - 1]!, size, size, size) : masks[j]!;
      const click = nextClick(state.mask, samples[i]!.truth, size, size);
      if (click) state.clicks.push(click);
      else state.rounds = 0; // nothing left to correct
    });
  }
  const plane = size * size;
  const xs = new Float32Array(samples.length * plane * INTERACTIVE_CHANNELS);
  const ys = new Float32Array(samples.length * plane);
  samples.forEach((s, i) => {
    assembleInput(s.image, states[i]!.clicks, states[i]!.mask, size, xs, i);
    for (let j = 0; j < plane; j++) ys[i * plane + j] = s.truth[j]!;
  });
  return { xs, ys, count: samples.length, clicks: states.reduce((n, s) => n + s.clicks.length, 0) };
}
