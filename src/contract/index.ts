import type { z } from 'zod';
import { CATALOG_REQUESTS, type CatalogResults } from './catalog.js';
import { CLICK_REQUESTS, type ClickResults } from './clicks.js';
import type { CommandId } from './commands.js';
import { DEVICE_REQUESTS, type DeviceEvents, type DeviceResults } from './devices.js';
import { FOLDER_REQUESTS, type FolderEvents, type FolderResults } from './folders.js';
import { MASK_REQUESTS, type MaskResults } from './masks.js';
import { MODEL_REQUESTS, type ModelEvents, type ModelResults, type TrainingDone, type TrainingProgress } from './models.js';
import { PREDICTION_REQUESTS, type PredictionEvents, type PredictionResults } from './predictions.js';
import { REVIEW_REQUESTS, type ReviewResults } from './review.js';
import { ContractError } from './system.js';

// The one contract between the UI and the core. The Electron preload and `brainseg serve`'s WebSocket bind the
// same names, so the renderer cannot tell them apart. Every request takes one object argument, validated on the
// trusted side before a handler runs; binary data travels as Uint8Array.
//
// The contract owns every type that crosses it: the renderer imports this folder (and the pure mask tools of
// src/editing), nothing else of the core. The core's own records (with file paths and content hashes) are mapped
// to these shapes by the services; the compiler checks that they still fit. Each domain keeps its requests, results
// and events in a file of its own (catalog, masks, models and training, predictions, review, folders, devices); this file
// assembles them into the request map, the result map and the events. The folder imports nothing but zod.

export {
  SERIES_ROLES, SEQUENCE_KINDS, EXPORT_FORMATS, type ExportFormatName, type SeriesRole,
  type SkippedFile, type ImportReport, type ImportScan, type ImportedSeries, type ImportProgress, type ExportReport,
} from './folders.js';
export type { Split, PatientSpacing, PatientSummary, PatientScanInfo, SliceImage, SliceListing, SliceThumbnail } from './catalog.js';
export {
  EDIT_OPERATIONS, MASK_OPERATIONS, CLICK_OPERATIONS, type MaskClick, type MaskBox, type EditOperation, type MaskOperation,
  type MaskSaveRequest, type MaskVersion, type MaskSaveResult, type MaskPixels,
} from './masks.js';
export {
  PRESET_LABELS, PRESET_NAMES, RETRAIN_BUDGET_MINUTES, BUDGETED_STEPS_PER_EPOCH, FROM_SCRATCH_DEFAULTS, type PresetName,
  AUGMENTATION_DEFAULTS, OPTIMIZER_NAMES, LR_SCHEDULE_NAMES, MAX_PREVIEW_DRAWS, formatRecipe, type AugmentationSettings,
  type OptimizerName, type LearningRateSchedule, type AugmentationPreview, type PreviewTile,
  type TrainingStartRequest, type ModelSummary, type ModelValidationScore, type ValidationScores, type ResumableRun,
  type TrainingDone, type TrainingProgress, type ValidationPoint,
} from './models.js';
export { runPosition, runClockText, validationText, type RunPosition } from './training-progress.js';
export type { PredictionRun, PredictionPixels } from './predictions.js';
export type { ClickProposal, PropagatedMask } from './clicks.js';
export type { SliceReview, SliceRanking, SliceApproval, SliceScore, PatientSliceScores } from './review.js';
export type { ComputeDevice, ComputeDevices } from './devices.js';
export { ContractError };

/** Argument schemas of every request, by `domain:verb` name. */
export const REQUEST_SCHEMAS = {
  ...CATALOG_REQUESTS,
  ...MASK_REQUESTS,
  ...FOLDER_REQUESTS,
  ...MODEL_REQUESTS,
  ...PREDICTION_REQUESTS,
  ...REVIEW_REQUESTS,
  ...DEVICE_REQUESTS,
  ...CLICK_REQUESTS,
} as const;

/** Every request's name. */
export type RequestName = keyof typeof REQUEST_SCHEMAS;

/** A request's argument type. */
export type RequestArgs<N extends RequestName> = z.input<(typeof REQUEST_SCHEMAS)[N]>;

/** Result types of every request. */
export interface RequestResults extends CatalogResults, MaskResults, FolderResults, ModelResults, PredictionResults, ReviewResults, DeviceResults,
  ClickResults {}

/**
 * What another process changed in the catalog — another annotator's save, a patient imported at another
 * workstation, a model trained elsewhere — pushed to every open UI as `catalog:changed`.
 */
export type CatalogChange =
  | { kind: 'mask'; versionId: number; sliceId: number; patientId: number; author: string | null; source: string }
  | { kind: 'review'; sliceId: number; patientId: number; reviewer: string }
  | { kind: 'patients' }
  | { kind: 'models' }
  /** A team's training, run by a worker: its progress and its end, for every workstation. */
  | { kind: 'training-progress'; progress: TrainingProgress }
  | { kind: 'training-done'; done: TrainingDone }
  /** A team's prediction job, run by a worker: its progress and its end, for every workstation. */
  | { kind: 'prediction-progress'; progress: EventPayloads['predictions:progress'] }
  | { kind: 'predictions-done'; run: EventPayloads['predictions:done'] };

/**
 * Menu and accelerator commands the desktop shell forwards to the UI (the browser shows the same commands as
 * buttons). Folder choices come from native dialogs in the shell and go through the same requests as the
 * browser's path field.
 */
export interface MenuCommand {
  command: CommandId;
  /** The folder the user chose, for commands that ask for one (open, import, export). */
  path?: string;
}

/** Events the core pushes to the UI. */
export interface EventPayloads extends FolderEvents, ModelEvents, PredictionEvents, DeviceEvents {
  'menu:command': MenuCommand;
  /** Someone else changed the catalog (a shared one: on PostgreSQL, or a SQLite file several processes use). */
  'catalog:changed': CatalogChange;
}

export type EventName = keyof EventPayloads;

/** How the core sends an event to the UI (whatever the transport). */
export type EventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/** The API as the renderer sees it, whatever the transport. */
export interface RendererApi {
  request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResults[N]>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/** Checks a request's name and argument; returns the parsed argument or throws {@link ContractError}. */
export function validateRequest(name: unknown, args: unknown): { name: RequestName; args: unknown } {
  if (typeof name !== 'string' || !Object.hasOwn(REQUEST_SCHEMAS, name)) {
    throw new ContractError(`unknown request ${JSON.stringify(name)}`);
  }
  const parsed = REQUEST_SCHEMAS[name as RequestName].safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ContractError(`${name}: ${issue.path.join('.') || 'argument'}: ${issue.message}`);
  }
  return { name: name as RequestName, args: parsed.data };
}
