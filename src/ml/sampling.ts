/** A seeded pseudo-random generator (mulberry32): runs are reproducible from the config's seed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Buda et al.'s slice probabilities within one patient, countering class imbalance: slice i with lesion area s_i
 * is drawn with probability (s_i + 0.1·S/n) / (1.1·S), S the patient's total area and n its slice count. A
 * patient without any lesion is sampled uniformly.
 */
export function sliceProbabilities(lesionAreas: readonly number[]): number[] {
  const n = lesionAreas.length;
  const total = lesionAreas.reduce((a, b) => a + b, 0);
  if (total === 0) return lesionAreas.map(() => 1 / n);
  return lesionAreas.map((s) => (s + (0.1 * total) / n) / (1.1 * total));
}

/**
 * Raises the lesion-free slices' total probability within a patient that has a lesion to at least `share`, keeping
 * them uniform among themselves and the lesion slices in proportion. Buda's probabilities give all of a patient's
 * lesion-free slices together at most 1/11 (~9 %) of its draws, so bright structures that only appear on lesion-free
 * slices — scalp at the top of the head — are rarely shown as "not lesion"; 0 leaves Buda's probabilities as they are.
 */
export function withLesionFreeShare(probabilities: readonly number[], lesionAreas: readonly number[], share: number): number[] {
  const free = lesionAreas.map((area) => area === 0);
  const freeCount = free.filter(Boolean).length;
  if (freeCount === 0 || freeCount === lesionAreas.length) return [...probabilities];
  const natural = probabilities.reduce((sum, p, i) => (free[i] ? sum + p : sum), 0);
  if (natural >= share) return [...probabilities];
  const lesionScale = (1 - share) / (1 - natural);
  return probabilities.map((p, i) => (free[i] ? share / freeCount : p * lesionScale));
}

/** Draws an index from a discrete distribution whose weights sum to ~1. */
export function drawIndex(weights: readonly number[], random: () => number): number {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** A slice a sampler can pick: which patient, which slice, how much lesion, whether it was edited. */
export interface SampleCandidate {
  patient: number;
  slice: number;
  lesionArea: number;
  edited: boolean;
}

/**
 * Picks training slices: a patient uniformly, then a slice by {@link sliceProbabilities} (with the lesion-free
 * slices raised to `lesionFreeShare`, see {@link withLesionFreeShare}). When retraining on edits, a share of the
 * picks comes uniformly from the edited slices, the rest replays everything as above.
 */
export function createSampler(
  candidates: readonly SampleCandidate[],
  random: () => number,
  editedShare = 0,
  lesionFreeShare = 0,
): () => SampleCandidate {
  if (candidates.length === 0) throw new Error('no training slices to sample from');
  const byPatient = new Map<number, SampleCandidate[]>();
  for (const c of candidates) byPatient.set(c.patient, [...(byPatient.get(c.patient) ?? []), c]);
  const patients = [...byPatient.values()].map((slices) => {
    const areas = slices.map((s) => s.lesionArea);
    return { slices, weights: withLesionFreeShare(sliceProbabilities(areas), areas, lesionFreeShare) };
  });
  const edited = candidates.filter((c) => c.edited);
  return () => {
    if (edited.length > 0 && random() < editedShare) return edited[Math.floor(random() * edited.length)]!;
    const patient = patients[Math.floor(random() * patients.length)]!;
    return patient.slices[drawIndex(patient.weights, random)]!;
  };
}
