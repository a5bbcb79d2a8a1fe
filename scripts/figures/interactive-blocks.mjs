// The blocks about the bundled click-to-segment model (card: resources/models/lgg-unet-interactive/card.json,
// written by scripts/bundle-interactive-model.mjs). They read the click curve for whatever clicks the card holds.
import { dice, megabytes, minutes, word, wrap } from './format.mjs';

const CARD = 'lgg-unet-interactive';

/** Issue #29's aims: lesion-slice Dice after k clicks, on the bundled interactive model's validation patients. */
export const CLICK_AIMS = { 1: 0.8, 3: 0.88, 5: 0.9 };

const clickKeys = (curve) => Object.keys(curve.clicks).sort((a, b) => Number(a) - Number(b));
const after = (k) => `after ${word(Number(k))} click${k === '1' ? '' : 's'}`;
const noc = (v, digits) => (v === null || v === undefined ? '—' : v.toFixed(digits));

/** The curve as a table: the proposal, then each number of clicks. */
function curveTable(curve, belowHeader) {
  return [
    `| clicks | lesion-slice Dice | per-volume Dice | ${belowHeader} |`,
    '|---|---|---|---|',
    `| 0 (the automatic proposal) | ${dice(curve.automatic.lesionSliceDice)} | ${dice(curve.automatic.volumeDice)} | — |`,
    ...clickKeys(curve).map((k) => {
      const c = curve.clicks[k];
      return `| ${k} | ${dice(c.lesionSliceDice)} | ${dice(c.volumeDice)} | ${c.slicesBelowAutomatic ?? '—'} |`;
    }),
  ].join('\n');
}

/** "after one click", "after three and five clicks" */
function afterList(keys) {
  const words = keys.map((k) => word(Number(k)));
  const joined = words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
  return `after ${joined} click${keys.length === 1 && keys[0] === '1' ? '' : 's'}`;
}

/** Which of issue #29's aims the curve meets, in words. */
function aimsSentence(curve) {
  const judged = Object.entries(CLICK_AIMS).filter(([k]) => curve.clicks[k]);
  if (judged.length === 0) return 'The curve has none of the click counts the aims are set for.';
  const met = judged.filter(([k, aim]) => curve.clicks[k].lesionSliceDice >= aim).map(([k]) => k);
  const missed = judged.filter(([k, aim]) => curve.clicks[k].lesionSliceDice < aim).map(([k]) => k);
  const below = clickKeys(curve).map((k) => curve.clicks[k].slicesBelowAutomatic).filter((n) => typeof n === 'number');
  const parts = [...(met.length ? [`met ${afterList(met)}`] : []), ...(missed.length ? [`not met ${afterList(missed)}`] : [])];
  const low = Math.min(...below);
  const high = Math.max(...below);
  const slices = below.length === 0 ? 'slices below the proposal were not counted'
    : high === 0 ? 'never below the proposal met: no slice ends below the proposal it started from'
      : `never below the proposal not met: ${low === high ? low : `${low}–${high}`} of the ${curve.lesionSlices} slices end below the proposal they started from`;
  return `Against the aims (lesion-slice Dice ≥ ${judged.map(([, aim]) => aim.toFixed(2)).join(' / ')} after ` +
    `${judged.map(([k]) => k).join(' / ')} clicks, never below the proposal once clicked): Dice ${parts.join('; ')}; ${slices}.`;
}

/** README, in the click tool's paragraph: the curve in one sentence. */
function summary(card) {
  const curve = card.clickCurve;
  const steps = clickKeys(curve).map((k) => `${dice(curve.clicks[k].lesionSliceDice)} ${after(k)}`).join(', ');
  return wrap(`The shipped model on its ${card.validationPatients.length} validation patients: lesion-slice Dice ` +
    `${dice(curve.automatic.lesionSliceDice)} as proposed, ${steps} (NoC@90 ${noc(curve.noc90, 1)}); the curve and its ` +
    'recipe are in docs/training.md.', 114);
}

/** docs/training.md: how the shipped interactive model was made and its click curve. */
function curveSection(card) {
  const curve = card.clickCurve;
  const history = card.history.map((h) => h.valDice).filter((v) => typeof v === 'number');
  const propagated = curve.propagated?.volumeDice;
  const automatic = curve.automatic.volumeDice;
  return [
    wrap(`The shipped model (\`resources/models/${CARD}/\`, card and README there): \`${card.trainedWith}\` from the ` +
      `bundled automatic model on its ${card.trainingPatients.length} training patients of the public dataset, ` +
      `${card.epochs} epochs of ${card.config.stepsPerEpoch} steps in ${minutes(card.trainingSeconds)} minutes on ` +
      `${card.backend}, best epoch ${card.bestEpoch} by 1–3-click validation Dice` +
      (history.length ? ` (per epoch ${dice(Math.min(...history))}–${dice(Math.max(...history))})` : '') +
      `. Its click curve on the ${card.validationPatients.length} validation patients (never trained on), ` +
      `${curve.lesionSlices} lesion slices (\`${curve.command}\`, packed by ` +
      '`node scripts/bundle-interactive-model.mjs <data folder> <model id>`):'),
    '',
    curveTable(curve, 'lesion slices below the automatic proposal'),
    '',
    wrap(`NoC@85 ${noc(curve.noc85, 2)} and NoC@90 ${noc(curve.noc90, 2)} clicks per lesion slice (capped at 20). ` +
      (propagated === undefined ? 'Propagation was not scored. '
        // Called worse than the automatic model only when clearly so (by more than 0.01), not for a third-decimal gap.
        : `One click on each patient's largest lesion slice, then Propagate: per-volume Dice ${dice(propagated)}` +
          (propagated < automatic - 0.01 ? ` — below the automatic model's ${dice(automatic)}, so Propagate is for a lesion the ` +
            'automatic model missed, not for one it found. ' : ` (the automatic model: ${dice(automatic)}). `)) +
      aimsSentence(curve) + ' The 0-click lesion-slice Dice is the mean over all the lesion slices; the bundled ' +
      "model's card gives the mean of each patient's mean, so the two differ slightly."),
  ].join('\n');
}

/** The model's README: the card in bullets and its curve. */
function cardSection(card) {
  const curve = card.clickCurve;
  return [
    `- **Network**: the \`${card.preset}\` preset (${card.config.features} features, ${card.config.inputSize}² input, ` +
      `4 + 3 input channels), ${megabytes(card.weightsBytes)} (\`${card.weightsFile}\`, sha256 \`${card.sha256}\`).`,
    `- **Trained with**: \`${card.trainedWith}\` on ${card.backend}: ${card.epochs} epochs of ${card.config.stepsPerEpoch} ` +
      `steps (best: ${card.bestEpoch}), ${minutes(card.trainingSeconds)} minutes on a 2-core CPU; recipe in docs/training.md.`,
    `- **Data**: the automatic model's ${card.trainingPatients.length} training patients; scored on its validation ` +
      'patients (never trained on).',
    `- **Click curve** (\`${curve.command}\`), ${curve.lesionSlices} lesion slices of ${card.validationPatients.length} patients:`,
    '',
    curveTable(curve, 'slices below the proposal'),
    '',
    `NoC@85 ${noc(curve.noc85, 3)}, NoC@90 ${noc(curve.noc90, 3)} (mean clicks per lesion slice, capped at 20).`,
    ...(curve.propagated ? [`One click on each patient's largest lesion slice, then Propagate: per-volume Dice ${dice(curve.propagated.volumeDice)}.`] : []),
    '',
    `- **Terms**: ${card.data.terms}`,
    `- **Intended use**: ${card.intendedUse}`,
  ].join('\n');
}

/** Block name → [card name, render]. */
export const INTERACTIVE_BLOCKS = {
  'interactive-click-summary': [CARD, summary],
  'interactive-model-click-curve': [CARD, curveSection],
  'interactive-model-card': [CARD, cardSection],
};
