import { BACKEND_CHOICES, type BackendChoice } from '../../ml/backends/backend-choice.js';
import { PRESETS, type PresetName, type TrainConfig } from '../../ml/config.js';
import { LR_SCHEDULES, type LearningRateSchedule } from '../../ml/lr-schedule.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../../contract/training-presets.js';
import type { ComputeMessage } from '../../compute/protocol.js';
import { startTraining, type TrainOutcome } from '../../services/training-service.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs, parsePositiveInt } from '../parse.js';
import { formatTrainingProgress } from '../training-progress.js';

export const usage =
  'brainseg train [--preset fast|full|tiny] [--epochs N] [--from-scratch] [--backend auto|tensorflow|webgpu|wasm|cpu]\n' +
  '               [--minutes M] [--resume] [--json]   train or retrain the U-Net (Ctrl+C cancels, keeps checkpoint)\n' +
  '               advanced: --features N --size N --batch N --steps N --lr X --bce X --seed N --workers N\n' +
  '               --optimizer adam|sgd (sgd: momentum 0.9, peak --lr 0.1 unless given)\n' +
  '               --schedule cosine|constant|one-cycle\n' +
  '               augmentation: --flip P (probability) --scale S (1 ± S) --rotation DEG (± DEG)\n' +
  '               --intensity X (gain 1 ± X, shift ± X; 0 = off)\n' +
  '               --lesion-free X (at least this share of a patient\'s draws from its lesion-free slices)\n' +
  '               --interactive: fine-tune the click model (issue #29) from the active automatic model\n' +
  '               --continue ID: (with --interactive) train on from interactive model ID\n' +
  '               --rounds N: (with --interactive) simulate up to N clicks with the network per sample (default 3)\n' +
  '               --slice-dice: (with --interactive) Dice loss per slice, averaged, instead of over the batch\n' +
  '               --ema D: (with --interactive) validate and keep a moving average of the weights, decay D per step\n' +
  '               --keep-weight W: (with --interactive) pixels the prompt had right cost about 1 + W times as much when got wrong';

/** The options of the interactive model's training: one list for the check and its message. */
const INTERACTIVE_ONLY = ['continue', 'rounds', 'slice-dice', 'ema', 'keep-weight'] as const;

/** Parses `--backend`, naming the choices on a typo. */
export function parseBackend(value: string | undefined): BackendChoice {
  const choice = (value ?? 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(choice)) throw new CliError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}`, 2);
  return choice;
}

function parseNumber(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliError(`${name} must be a number, got "${value}"`, 2);
  return n;
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('train', context.args, {
    preset: { type: 'string' }, epochs: { type: 'string' }, 'from-scratch': { type: 'boolean' },
    backend: { type: 'string' }, minutes: { type: 'string' }, json: { type: 'boolean' }, resume: { type: 'boolean' },
    features: { type: 'string' }, size: { type: 'string' }, batch: { type: 'string' }, steps: { type: 'string' },
    lr: { type: 'string' }, bce: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' },
    schedule: { type: 'string' }, optimizer: { type: 'string' }, flip: { type: 'string' }, scale: { type: 'string' },
    rotation: { type: 'string' }, intensity: { type: 'string' }, 'lesion-free': { type: 'string' }, interactive: { type: 'boolean' },
    continue: { type: 'string' }, rounds: { type: 'string' }, 'slice-dice': { type: 'boolean' }, ema: { type: 'string' }, 'keep-weight': { type: 'string' },
  });
  if (positionals.length) throw new CliError(`usage: ${usage}`, 2);
  if (values.preset && !(values.preset in PRESETS)) throw new CliError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}`, 2);
  const config: Partial<TrainConfig> = values.interactive ? { kind: 'interactive' } : {};
  if (values.preset) config.preset = values.preset as PresetName;
  if (values.epochs) config.epochs = parsePositiveInt('--epochs', values.epochs);
  if (values.minutes) config.minutes = parseNumber('--minutes', values.minutes);
  if (values.features) config.features = parsePositiveInt('--features', values.features);
  if (values.size) config.inputSize = parsePositiveInt('--size', values.size);
  if (values.batch) config.batchSize = parsePositiveInt('--batch', values.batch);
  if (values.steps) config.stepsPerEpoch = parsePositiveInt('--steps', values.steps);
  if (values.lr) config.learningRate = parseNumber('--lr', values.lr);
  if (values.bce) config.bceWeight = parseNumber('--bce', values.bce);
  if (values.seed) config.seed = parsePositiveInt('--seed', values.seed);
  if (values.workers) config.workers = parsePositiveInt('--workers', values.workers);
  if (values.schedule) {
    if (!LR_SCHEDULES.includes(values.schedule as LearningRateSchedule)) throw new CliError(`--schedule must be one of ${LR_SCHEDULES.join(', ')}`, 2);
    config.learningRateSchedule = values.schedule as LearningRateSchedule;
  }
  if (values.optimizer) {
    if (!OPTIMIZER_NAMES.includes(values.optimizer as OptimizerName)) throw new CliError(`--optimizer must be one of ${OPTIMIZER_NAMES.join(', ')}`, 2);
    config.optimizer = values.optimizer as OptimizerName;
  }
  if (values.flip) config.augmentFlipProbability = parseNumber('--flip', values.flip);
  if (values.scale) config.augmentScale = parseNumber('--scale', values.scale);
  if (values.rotation) config.augmentRotationDegrees = parseNumber('--rotation', values.rotation);
  if (values.intensity) config.augmentIntensity = parseNumber('--intensity', values.intensity);
  if (values['lesion-free']) config.lesionFreeShare = parseNumber('--lesion-free', values['lesion-free']);
  if (!values.interactive && INTERACTIVE_ONLY.some((name) => values[name])) {
    const flags = INTERACTIVE_ONLY.map((name) => `--${name}`);
    throw new CliError(`${flags.slice(0, -1).join(', ')} and ${flags.at(-1)!} apply with --interactive`, 2);
  }
  if (values['keep-weight']) config.keepWeight = parseNumber('--keep-weight', values['keep-weight']);
  if (values.ema) config.weightAverage = parseNumber('--ema', values.ema);
  if (values['slice-dice']) config.diceOver = 'slice';
  if (values.rounds) config.clickRounds = Number(values.rounds);
  const continueModelId = values.continue ? parsePositiveInt('--continue', values.continue) : undefined;
  const backend = parseBackend(values.backend);
  const json = Boolean(values.json);

  return withCatalog(context, async (db) => {
    const started = performance.now();
    const onEvent = (message: ComputeMessage) => reportEvent(context, message, json);
    const run = await startTraining(db, context.home, { config, fromScratch: Boolean(values['from-scratch']), backend, resume: Boolean(values.resume), ...(continueModelId ? { continueModelId } : {}) }, onEvent)
      .catch((error: Error) => {
        throw new CliError(error.message);
      });
    // First Ctrl+C cancels cleanly (the training run stops between steps, or is stopped); a second one quits at once.
    let interrupts = 0;
    const onSigint = () => {
      if (++interrupts > 1) process.exit(130);
      if (!json) context.stderr.write('\nCancelling… (Ctrl+C again to quit at once)\n');
      run.cancel();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    try {
      const outcome = await run.outcome;
      if (context.stderr.isTTY && !json) context.stderr.write('\n');
      return reportOutcome(context, outcome, json, (performance.now() - started) / 1000);
    } catch (error) {
      const message = (error as Error).message;
      if (json) printJson(context, { type: 'error', message });
      throw new CliError(`training failed: ${message} The active model is unchanged.`);
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  });
}

function reportEvent(context: CommandContext, message: ComputeMessage, json: boolean): void {
  if (json) {
    if (message.type === 'progress') printJson(context, { type: 'progress', ...message.progress });
    else printJson(context, message);
    return;
  }
  if (message.type === 'backend') {
    context.stderr.write(`backend: ${message.report.name} (${message.report.detail})\n`);
    for (const line of message.report.fallbacks) context.stderr.write(`  not used: ${line}\n`);
  } else if (message.type === 'progress' && context.stderr.isTTY) {
    context.stderr.write(`\r${formatTrainingProgress(message.progress).slice(0, (context.stderr.columns || 100) - 1)}\x1b[K`);
  } else if (message.type === 'notice') {
    context.stderr.write(`${context.stderr.isTTY ? '\r\x1b[K' : ''}note: ${message.message}\n`);
  } else if (message.type === 'epoch') {
    const dice = message.valDice === null ? 'n/a (no validation patients)' : message.valDice.toFixed(3);
    context.stderr.write(`${context.stderr.isTTY ? '\r\x1b[K' : ''}epoch ${message.epoch}: loss ${message.loss.toFixed(4)}, validation Dice ${dice}\n`);
  }
}

function reportOutcome(context: CommandContext, outcome: TrainOutcome, json: boolean, seconds: number): number {
  if (outcome.kind === 'cancelled') {
    const kept = outcome.lastEpoch ? `the checkpoint of epoch ${outcome.lastEpoch} is kept` : 'no epoch had finished';
    if (json) printJson(context, { type: 'cancelled', runDir: outcome.runDir, lastEpoch: outcome.lastEpoch });
    else context.stdout.write(`Cancelled: ${kept}. Resume with: brainseg train --resume\n`);
    return 130;
  }
  const { model, accepted, result } = outcome;
  if (json) {
    printJson(context, {
      type: 'done', modelId: model.id, valDice: result.valDice, backend: model.backend, seconds,
      accepted, baselineValDice: result.baselineValDice, epochs: result.epochsRun, bestEpoch: result.bestEpoch,
    });
    return 0;
  }
  const dice = result.valDice === null ? 'n/a' : result.valDice.toFixed(3);
  context.stdout.write(`Model ${model.id}: validation Dice ${dice} (best of ${result.epochsRun} epochs: ${result.bestEpoch}), ${seconds.toFixed(0)} s on ${model.backend}.\n`);
  if (model.config['kind'] === 'interactive') context.stdout.write(`Model ${model.id} is the interactive model; the automatic model stays active.\n`);
  else if (accepted) context.stdout.write(`Model ${model.id} is now active.\n`);
  else {
    context.stdout.write(
      `Model ${model.id} scored worse than its parent (${result.baselineValDice?.toFixed(3)}), so it was kept but NOT activated. ` +
        `Activate it anyway with: brainseg models --activate ${model.id}\n`,
    );
  }
  return 0;
}
