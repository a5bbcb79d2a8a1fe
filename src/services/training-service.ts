import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogDb } from '../catalog/db.js';
import { activeModelId, findModel, insertModel, listModels, type ModelVersion } from '../catalog/models.js';
import { localModelFile } from '../catalog/stored-files.js';
import type { HomePaths } from '../home.js';
import type { BackendChoice, BackendReport } from '../ml/backends/select-backend.js';
import { INTERACTIVE_DEFAULTS, RETRAIN_DEFAULTS, validateTrainConfig, type TrainConfig } from '../ml/config.js';
import { SGD_LEARNING_RATE } from '../contract/training-presets.js';
import { runFiles } from '../ml/run-files.js';
import { startComputeJob, type RunningComputeJob } from '../compute/host.js';
import { buildJobPatients, jobMaskIds } from './job-builder.js';
import type { ComputeMessage } from '../compute/protocol.js';
import type { TrainingResult } from '../ml/jobs.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** What the user asked for: `brainseg train`, Model ▸ Retrain on Edits, Model ▸ Train from Scratch. */
export interface TrainRequest {
  config: Partial<TrainConfig>;
  /** Ignore the active model and start from random weights. */
  fromScratch: boolean;
  backend: BackendChoice;
  /** Continue the newest interrupted run instead of starting a new one. */
  resume: boolean;
  /** The interactive model only: train on from this interactive model's weights (a second run on a first). */
  continueModelId?: number;
}

/** How a run ended for the user. */
export type TrainOutcome =
  | { kind: 'trained'; model: ModelVersion; accepted: boolean; result: TrainingResult; backend: BackendReport | null }
  | { kind: 'cancelled'; runDir: string; lastEpoch: number | null };

/** What a run folder's run.json records, so an interrupted run can be resumed with the same settings. */
export interface RunRecord {
  config: TrainConfig;
  parentModelId: number | null;
  backend: BackendChoice;
  createdAt: string;
  /** The interactive model whose weights the run continues (`--continue`), if any. */
  warmStartModelId?: number;
}

/** A running training job: its events, its end, and a way to cancel it. */
export interface TrainingRun {
  outcome: Promise<TrainOutcome>;
  cancel(): void;
}

/**
 * Starts a training run in the compute process and, when it ends, registers the best epoch as a new model
 * version. A retrain becomes active only if its validation Dice is not worse than its parent's on the same
 * masks; a failed or cancelled run registers nothing and leaves the active model as it was.
 */
export async function startTraining(
  db: CatalogDb,
  home: HomePaths,
  request: TrainRequest,
  onEvent: (message: ComputeMessage) => void,
): Promise<TrainingRun> {
  const resumeDir = request.resume ? await findInterruptedRun(db, home) : null;
  if (request.resume && !resumeDir) throw new Error('there is no interrupted run to resume');
  const record = resumeDir ? await readRun(resumeDir) : await newRunRecord(db, request);
  const runDir = resumeDir ?? path.join(home.models, `run-${timestamp()}`);
  if (!resumeDir) {
    await mkdir(runDir, { recursive: true });
    await writeFile(path.join(runDir, 'run.json'), JSON.stringify(record, null, 2));
  }

  const patients = await buildJobPatients(db, { parentModelId: record.parentModelId, home });
  const parent = record.parentModelId ? await findModel(db, record.parentModelId) : undefined;
  const warmStart = record.warmStartModelId ? await findModel(db, record.warmStartModelId) : undefined;
  let backend: BackendReport | null = null;
  let lastEpoch: number | null = null;
  const job: RunningComputeJob = startComputeJob(
    {
      type: 'train',
      job: {
        config: record.config,
        backend: record.backend,
        patients,
        runDir,
        initModelFile: parent ? await localModelFile(db, parent, home.models) : null,
        warmStartModelFile: warmStart ? await localModelFile(db, warmStart, home.models) : null,
        resume: Boolean(resumeDir),
      },
    },
    (message) => {
      if (message.type === 'backend') backend = message.report;
      if (message.type === 'epoch') lastEpoch = message.epoch;
      onEvent(message);
    },
  );

  const outcome = job.finished.then(async (end): Promise<TrainOutcome> => {
    if (end.type === 'cancelled' || (end.type === 'trained' && end.result.stoppedBy === 'cancel')) {
      return { kind: 'cancelled', runDir, lastEpoch };
    }
    if (end.type !== 'trained') throw new Error('the compute process answered a training job with a prediction');
    const { result } = end;
    const accepted = shouldActivate(parent !== undefined, result.valDice, result.baselineValDice);
    // The interactive model refines the automatic one's proposals; it never replaces it as the active model.
    const activate = accepted && record.config.kind !== 'interactive';
    const model = await insertModel(
      db,
      {
        parentId: parent?.id ?? null,
        preset: record.config.preset,
        config: record.config,
        metrics: {
          valDice: result.valDice, baselineValDice: result.baselineValDice, bestEpoch: result.bestEpoch,
          epochsRun: result.epochsRun, history: result.history, seconds: result.seconds, stoppedBy: result.stoppedBy,
          editedSlices: patients.reduce((n, p) => n + p.slices.filter((s) => s.edited).length, 0),
        },
        valDice: result.valDice,
        backend: (backend as BackendReport | null)?.name ?? record.backend,
        file: path.relative(home.models, runFiles(runDir).best),
        status: accepted ? 'accepted' : 'rejected',
        maskIds: jobMaskIds(patients),
        weights: await readFile(runFiles(runDir).best),
      },
      activate,
    );
    // A marker for people; what makes a run "done" is the catalog's registration (findInterruptedRun).
    await writeFileAtomic(path.join(runDir, 'done.json'), [Buffer.from(JSON.stringify({ modelId: model.id }))]);
    // The checkpoint (weights with the optimizer's state, ~3× the model) only serves --resume, which a registered
    // run never takes: every retrain would otherwise leave one behind for good.
    await rm(runFiles(runDir).checkpoint, { force: true });
    return { kind: 'trained', model, accepted, result, backend };
  });
  return { outcome, cancel: () => job.cancel() };
}

/**
 * Whether a finished run becomes the active model: a first model always does; a retrain only if its validation
 * Dice is not worse than its parent's on the same masks (with no validation patients there is no evidence
 * against it).
 */
export function shouldActivate(hasParent: boolean, valDice: number | null, baselineValDice: number | null): boolean {
  if (!hasParent || valDice === null || baselineValDice === null) return true;
  return valDice >= baselineValDice;
}

async function newRunRecord(db: CatalogDb, request: TrainRequest): Promise<RunRecord> {
  const parentId = request.fromScratch ? null : await activeModelId(db);
  const parent = parentId ? await findModel(db, parentId) : undefined;
  if (request.config.kind === 'interactive') return interactiveRunRecord(request, parent, request.continueModelId ? await findModel(db, request.continueModelId) : undefined);
  if (request.continueModelId) throw new Error('--continue applies to the interactive model (with --interactive)');
  let config = validateTrainConfig(request.config);
  if (parent) {
    // Retraining continues the parent's network: its shape is fixed; other settings may change.
    const shape = { preset: parent.config['preset'], features: parent.config['features'], inputSize: parent.config['inputSize'] };
    const asked = request.config;
    if ((asked.preset && asked.preset !== shape.preset) || (asked.features && asked.features !== shape.features) || (asked.inputSize && asked.inputSize !== shape.inputSize)) {
      throw new Error(`the active model ${parent.id} is a ${String(shape.preset)} network (${String(shape.features)} features, ` +
        `${String(shape.inputSize)}²); use --from-scratch to train a different shape`);
    }
    // Epochs or steps given: the user paces the run. Otherwise one long epoch that the time budget (theirs, or
    // the default) ends.
    const paced = asked.epochs !== undefined || asked.stepsPerEpoch !== undefined;
    // SGD fine-tunes at the same fraction of its peak as Adam does of its rate (half): Adam's 5e-4 would not move it.
    const rate = asked.optimizer === 'sgd' ? SGD_LEARNING_RATE / 2 : RETRAIN_DEFAULTS.learningRate;
    const fineTune: Partial<TrainConfig> = paced ? { learningRate: rate } : { ...RETRAIN_DEFAULTS, learningRate: rate };
    config = validateTrainConfig({ ...(shape as Partial<TrainConfig>), ...fineTune, ...request.config });
  }
  return { config, parentModelId: parent?.id ?? null, backend: request.backend, createdAt: new Date().toISOString() };
}

/** The interactive model (issue #29) is always fine-tuned from the active automatic model, with its own recipe. */
function interactiveRunRecord(request: TrainRequest, parent: ModelVersion | undefined, warmStart: ModelVersion | undefined): RunRecord {
  if (request.continueModelId && warmStart?.config['kind'] !== 'interactive') {
    throw new Error(`--continue ${request.continueModelId}: ${warmStart ? 'that model is not interactive' : 'there is no such model'}`);
  }
  if (request.fromScratch) throw new Error('the interactive model is fine-tuned from the automatic one: --from-scratch does not apply');
  if (!parent) throw new Error('the interactive model is fine-tuned from the active automatic model, and there is none');
  if (parent.config['kind'] === 'interactive') throw new Error(`the active model ${parent.id} is interactive; activate an automatic model first`);
  const shape = { preset: parent.config['preset'], features: parent.config['features'], inputSize: parent.config['inputSize'] } as Partial<TrainConfig>;
  const config = validateTrainConfig({ ...shape, ...INTERACTIVE_DEFAULTS, ...request.config, kind: 'interactive' });
  return {
    config, parentModelId: parent.id, backend: request.backend, createdAt: new Date().toISOString(),
    ...(warmStart ? { warmStartModelId: warmStart.id } : {}),
  };
}

/**
 * The newest run folder with a checkpoint and no model registered from it (`newestOnly`: only if that is the newest
 * run folder of all — what the app offers to resume). Registration is read from the catalog, not from done.json: a
 * crash between registering a model and writing the marker must not let `--resume` reopen that run and overwrite the
 * registered model's weights.
 */
export async function findInterruptedRun(db: CatalogDb, home: HomePaths, { newestOnly = false } = {}): Promise<string | null> {
  if (!existsSync(home.models)) return null;
  const registered = new Set((await listModels(db)).map((m) => path.resolve(home.models, m.file)));
  const runs = readdirSync(home.models).filter((name) => name.startsWith('run-')).sort().reverse();
  for (const name of newestOnly ? runs.slice(0, 1) : runs) {
    const dir = path.join(home.models, name);
    if (registered.has(path.resolve(runFiles(dir).best)) || existsSync(path.join(dir, 'done.json'))) continue;
    if (existsSync(runFiles(dir).checkpoint)) return dir;
  }
  return null;
}

export async function readRun(dir: string): Promise<RunRecord> {
  return JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as RunRecord;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-') + `-${process.pid}`;
}
