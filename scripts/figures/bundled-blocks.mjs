// The blocks about the bundled automatic model (card: resources/models/lgg-unet-fast/card.json). Each returns the
// Markdown between its markers; scripts/figures.mjs puts it there.
import { bundledFigures, falsePositives, meanMedian, predictedAs, recipeOf } from './bundled-figures.mjs';
import { day, dice, megabytes, minutes, shortCase, wrap } from './format.mjs';

const CARD = 'lgg-unet-fast';

/** How it was trained, in one sentence: one run, or a run from scratch and its fine-tunes. */
function trainedSentence(card, f) {
  const runs = f.runs.length === 1
    ? `${card.epochs} epochs (the best, ${card.bestEpoch}, kept)`
    : f.runs.map((run, i) => `${i === 0 ? 'from scratch' : 'then fine-tuned'} ${run.epochs} epochs (best ${run.bestEpoch})`).join(', ');
  return `${runs} in ${f.minutes} minutes on ${card.backend} (${recipeOf(card.config)}), trained ${day(card.trainedAt)}`;
}

function flairOnlyRow(card) {
  const fo = card.flairOnly;
  if (!fo) return [];
  return [`| FLAIR only (the other two channels filled with FLAIR, as the importer does) | mean ${dice(fo.validationMeanDice)}, ` +
    `median ${dice(fo.validationMedianDice)} · lesion slices ${dice(fo.lesionSliceDice)} · ${fo.falsePositiveSlices} of ` +
    `${fo.lesionFreeSlices} lesion-free slices predicted |`];
}

/** README "The model": what it is and its validation figures. */
function summary(card) {
  const f = bundledFigures(card);
  return [
    wrap(`\`resources/models/${CARD}/\` ships with the app: the \`${card.preset}\` U-Net (${card.config.features} features, ` +
      `${card.config.inputSize}² input, ${megabytes(card.weightsBytes)}) trained with \`brainseg train\` on ${f.training} ` +
      `patients of the public LGG dataset and validated on the other ${f.validation}: ${trainedSentence(card, f)}.`),
    '',
    '| | per-volume Dice |',
    '|---|---|',
    `| ${f.validation} validation patients, as stored and shown (${predictedAs(card.config)}) | **${meanMedian(f)}** |`,
    `| the same, single pass (the trainer's validation at its best epoch) | mean ${dice(f.singlePass)} |`,
    `| per-slice Dice on their lesion slices · lesion-free slices with a prediction | ${dice(f.lesionSliceDice)} · ${falsePositives(f)} |`,
    ...flairOnlyRow(card),
  ].join('\n');
}

/** README: per validation patient, two patients a row, case ids shortened. */
function patientsShort(card) {
  const rows = card.validationPatients.map((p) => `${shortCase(p.id)} | ${dice(p.dice)} | ${dice(p.lesionSliceDice)}`);
  const half = Math.ceil(rows.length / 2);
  const head = 'validation patient | per-volume Dice | lesion-slice Dice';
  return [
    `| ${head} | | ${head} |`,
    `|${'---|'.repeat(7)}`,
    ...rows.slice(0, half).map((left, i) => `| ${left} | | ${rows[half + i] ?? ' | | '} |`),
  ].join('\n');
}

/** The model's README: per validation patient, whole case ids. */
function patientsFull(card) {
  return [
    '| validation patient | per-volume Dice | lesion-slice Dice | slices |',
    '|---|---|---|---|',
    ...card.validationPatients.map((p) => `| ${p.id} | ${dice(p.dice)} | ${dice(p.lesionSliceDice)} | ${p.slices} |`),
  ].join('\n');
}

/** The model's README: the card in bullets. */
function cardBullets(card) {
  const f = bundledFigures(card);
  const fo = card.flairOnly;
  return [
    `- **Network**: the \`${card.preset}\` preset (${card.config.features} features, ${card.config.inputSize}² input), ` +
      `${megabytes(card.weightsBytes)} of weights (\`${card.weightsFile}\`, sha256 \`${card.sha256}\`).`,
    `- **Trained with**: \`${card.trainedWith ?? 'brainseg train'}\`: ${trainedSentence(card, f)}; a 2-core CPU; recipe in docs/training.md.`,
    `- **Data**: ${f.training} training and ${f.validation} validation patients (patient-level split by a hash of the case ` +
      `id); case ids in \`card.json\`. ${card.data.source}`,
    `- **Validation**: per-volume Dice **${meanMedian(f)}** over ${f.validation} patients it never trained on, as the app ` +
      `predicts them (${predictedAs(card.config)}); the trainer's single pass ${dice(f.singlePass)}; per-slice Dice on ` +
      `lesion slices ${dice(f.lesionSliceDice)}; a prediction on ${falsePositives(f)} lesion-free slices.`,
    ...(fo ? [`- **FLAIR only** (a scanner patient with no T1 pre- or post-contrast: the importer fills those channels ` +
      `with FLAIR): per-volume Dice **mean ${dice(fo.validationMeanDice)}, median ${dice(fo.validationMedianDice)}** on the ` +
      `same ${f.validation} patients; lesion-slice Dice ${dice(fo.lesionSliceDice)}; ${fo.falsePositiveSlices} of ` +
      `${fo.lesionFreeSlices} lesion-free slices predicted. \`card.json\` → \`flairOnly\` has the per-patient figures and ` +
      'how they were measured (docs/formats.md, "Missing sequences").'] : []),
    `- **Terms**: ${card.data.terms}`,
    `- **Intended use**: ${card.intendedUse}`,
  ].join('\n');
}

/** docs/training.md "The bundled model": the card's figures with what they mean. */
function validationTable(card) {
  const f = bundledFigures(card);
  const inRange = card.validationPatients.filter((p) => p !== f.worst);
  const low = Math.min(...inRange.map((p) => p.dice));
  const high = Math.max(...inRange.map((p) => p.dice));
  return [
    '| | per-volume Dice | notes |',
    '|---|---|---|',
    `| ${f.validation} validation patients, as the app predicts (${predictedAs(card.config)}) | **${meanMedian(f)}** | ` +
      `${inRange.length} of ${f.validation} at ${dice(low)}–${dice(high)}; the worst ${shortCase(f.worst.id)} ${dice(f.worst.dice)} |`,
    `| the same, single pass (the trainer's own validation) | mean ${dice(f.singlePass)} | the best of ${card.epochs} epochs ` +
      `(epoch ${card.bestEpoch}), chosen on these same patients, so optimistic |`,
    `| per-slice Dice on lesion slices (validation; the mean of each patient's mean) | ${dice(f.lesionSliceDice)} | ` +
      `a prediction on ${falsePositives(f)} lesion-free slices |`,
  ].join('\n');
}

/** docs/training.md: the validation curve of each run that made it. */
function epochs(card) {
  const f = bundledFigures(card);
  const curve = (run) => run.history.map((h) => (h.epoch === run.bestEpoch ? `**${dice(h.valDice)}**` : dice(h.valDice))).join(', ');
  const steps = `${card.config.stepsPerEpoch} steps of batch ${card.config.batchSize} per epoch`;
  const text = f.runs.length === 1
    ? `Validation Dice per epoch, single pass (${steps}): ${curve(f.runs[0])}.`
    : `Validation Dice per epoch, single pass (${steps} in the last run): ` +
      f.runs.map((run, i) => `${i === 0 ? 'from scratch' : `fine-tune ${i}`} (${minutes(run.seconds)} minutes) ${curve(run)}`).join('; ') + '.';
  return wrap(text);
}

/** docs/formats.md "Missing sequences": all three sequences against FLAIR only. */
function flairOnly(card) {
  const f = bundledFigures(card);
  const fo = card.flairOnly;
  return [
    '| input | mean per-volume Dice | median | lesion-slice Dice | lesion-free slices predicted |',
    '|---|---|---|---|---|',
    `| all three sequences | ${dice(f.mean)} | ${dice(f.median)} | ${dice(f.lesionSliceDice)} | ${falsePositives(f)} |`,
    fo ? `| FLAIR only (the other two filled with FLAIR) | ${dice(fo.validationMeanDice)} | ${dice(fo.validationMedianDice)} | ` +
      `${dice(fo.lesionSliceDice)} | ${fo.falsePositiveSlices} of ${fo.lesionFreeSlices} |` : '| FLAIR only | not measured for this model | | | |',
  ].join('\n');
}

/** Inline, in the recipe table: the run that is the bundled model. */
function run(card) {
  const f = bundledFigures(card);
  return `**${dice(f.singlePass)}** (best of ${card.epochs} epochs, epoch ${card.bestEpoch}) — **${dice(f.mean)} / ` +
    `${dice(f.median)} as the app predicts** (**the bundled model**, trained ${day(card.trainedAt)})`;
}

/** Inline, in a sentence: its headline figure. */
function headline(card) {
  const f = bundledFigures(card);
  return `${dice(f.mean)} mean per-volume Dice on the other ${f.validation}`;
}

/** Inline: the size of its weights ("7.8 MB"). */
const size = (card) => megabytes(card.weightsBytes);

/** Block name → [card name, render]. */
export const BUNDLED_BLOCKS = {
  'bundled-model-summary': [CARD, summary],
  'bundled-model-patients': [CARD, patientsShort],
  'bundled-model-patients-full': [CARD, patientsFull],
  'bundled-model-card': [CARD, cardBullets],
  'bundled-model-validation': [CARD, validationTable],
  'bundled-model-epochs': [CARD, epochs],
  'bundled-model-flair-only': [CARD, flairOnly],
  'bundled-model-run': [CARD, run],
  'bundled-model-headline': [CARD, headline],
  'bundled-model-size': [CARD, size],
};
