import { z } from 'zod';
import type { CommandId } from './commands.js';
import { EDIT_OPERATIONS, MASK_OPERATIONS, type EditOperation, type MaskOperation } from '../editing/operations.js';
import { PRESET_LABELS, PRESET_NAMES, RETRAIN_BUDGET_MINUTES, BUDGETED_STEPS_PER_EPOCH, type PresetName } from './training-presets.js';

// The one contract between the UI and the core. The Electron preload and `brainseg serve`'s WebSocket bind the
// same names, so the renderer cannot tell them apart. Every request takes one object argument, validated on the
// trusted side before a handler runs; binary data travels as Uint8Array.
//
// The contract owns every type that crosses it: the renderer imports this file (and the pure mask tools of
// src/editing), nothing else of the core. The core's own records (with file paths and content hashes) are mapped
// to these shapes by the services; the compiler checks that they still fit.

export { PRESET_LABELS, PRESET_NAMES, RETRAIN_BUDGET_MINUTES, BUDGETED_STEPS_PER_EPOCH, type PresetName, MASK_OPERATIONS, type MaskOperation };

const id = z.number().int().positive();
const bytes = z.instanceof(Uint8Array);

/** What masks can be exported as. */
export const EXPORT_FORMATS = ['dataset', 'nifti', 'dicom-seg'] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

/** The MR sequences the workstation tells apart; the model reads T1 pre-contrast, FLAIR and T1 post-contrast. */
export const SEQUENCE_KINDS = ['flair', 't1', 't1c', 't2', 'other'] as const;
/** What an imported file or series is used as: a sequence, the lesion labels, or nothing. */
export const SERIES_ROLES = [...SEQUENCE_KINDS, 'label', 'skip'] as const;
export type SeriesRole = (typeof SERIES_ROLES)[number];

// The user's word on a scanner-format import: which file or series is which (it beats the naming rules), and
// which label values are lesion.
const importChoices = {
  sequences: z.array(z.object({ role: z.enum(SERIES_ROLES), key: z.string().min(1).max(4096) }).strict()).max(1000).optional(),
  labels: z.array(z.number().int()).min(1).max(256).optional(),
};

/** Argument schemas of every request, by `domain:verb` name. */
/** The operations a mask save from the UI can name (import and file come from the importer and the CLI). */
export { EDIT_OPERATIONS, type EditOperation };

export const REQUEST_SCHEMAS = {
  'catalog:list-patients': z.object({}).strict(),
  'catalog:set-spacing': z.object({ patientId: id, pixelMm: z.number().gt(0).lt(100), sliceMm: z.number().gt(0).lt(100) }).strict(),
  'catalog:list-slices': z.object({ patientId: id }).strict(),
  'slices:get-image': z.object({ sliceId: id }).strict(),
  'slices:get-thumbnails': z.object({ patientId: id, size: z.number().int().min(16).max(256) }).strict(),
  'masks:get-current': z.object({ sliceId: id }).strict(),
  'masks:list-versions': z.object({ sliceId: id }).strict(),
  'masks:get-version': z.object({ versionId: id }).strict(),
  // A second reader approves the slice's current mask version.
  'masks:approve': z.object({ sliceId: id }).strict(),
  'masks:save': z
    .object({
      sliceId: id, width: z.number().int().positive(), height: z.number().int().positive(), data: bytes,
      // What the radiologist did; 'accept' names the model whose prediction became the mask.
      operation: z.enum(EDIT_OPERATIONS), acceptedModelId: id.optional(),
      // The version this edit started from (null: the slice had none), so a save tells whether someone else saved
      // the slice in between. Without it (the CLI's --from) a save is simply appended.
      baseVersionId: id.nullable().optional(),
    })
    .strict()
    .refine((m) => m.data.length === m.width * m.height, { message: 'data must hold width × height pixels' })
    .refine((m) => (m.operation === 'accept') === (m.acceptedModelId !== undefined), { message: 'acceptedModelId goes with operation "accept", and only with it' }),
  'import:path': z.object({ path: z.string().min(1), ...importChoices }).strict(),
  // What a folder holds and how each series would be used, without importing (the import dialog's table).
  'import:scan': z.object({ path: z.string().min(1), ...importChoices }).strict(),
  'export:masks': z.object({
    path: z.string().min(1), caseId: z.string().min(1).optional(), overwriteOriginals: z.boolean().optional(),
    // dataset: the LGG layout (TIFF slices and masks); nifti / dicom-seg: one label volume per patient.
    format: z.enum(EXPORT_FORMATS).optional(), predictions: z.boolean().optional(),
  }).strict(),
  'models:list': z.object({}).strict(),
  'models:activate': z.object({ modelId: id }).strict(),
  'predictions:get': z.object({ sliceId: id, modelId: id.optional() }).strict(),
  // ifMissing: only when some slice of the patient has no prediction by that model (opening a patient).
  // sliceId: the slice on screen, whose own prediction comes first as `predictions:preview`.
  'predictions:run': z.object({ patientId: id, modelId: id.optional(), ifMissing: z.boolean().optional(), sliceId: id.optional() }).strict(),
  'review:rank-slices': z.object({ patientId: id, threshold: z.number().gt(0).lt(1).optional() }).strict(),
  'training:start': z
    .object({
      fromScratch: z.boolean(),
      preset: z.enum(PRESET_NAMES).optional(),
      epochs: z.number().int().positive().max(1000).optional(),
      minutes: z.number().positive().optional(),
      // The patient on screen: predicted by the new model (and its parent) when the run is accepted.
      patientId: id.optional(),
      // Continue the stopped run that `training:status` offers, with its own settings (the others are ignored).
      resume: z.boolean().optional(),
    })
    .strict(),
  'training:cancel': z.object({}).strict(),
  'training:status': z.object({}).strict(),
  // Give up the stopped run that `training:status` offers.
  'training:discard': z.object({}).strict(),
} as const;


/** Every request's name. */
export type RequestName = keyof typeof REQUEST_SCHEMAS;

/** A request's argument type. */
export type RequestArgs<N extends RequestName> = z.input<(typeof REQUEST_SCHEMAS)[N]>;

/** A mask save as the UI sends it. */
export type MaskSaveRequest = RequestArgs<'masks:save'>;
/** A training run as the UI asks for it. */
export type TrainingStartRequest = RequestArgs<'training:start'>;

/** Which side of the patient-level split a patient's slices train or validate on. */
export type Split = 'train' | 'validation';

/** In-plane pixel size and slice spacing (mm), as the radiologist entered them. */
export interface PatientSpacing {
  pixelMm: number;
  sliceMm: number;
}

/** A patient in the patient list, with its counts. */
export interface PatientSummary {
  id: number;
  caseId: string;
  split: Split;
  slices: number;
  lesionSlices: number;
  editedSlices: number;
  /** Slices whose current mask a second reader approved. */
  approvedSlices: number;
  /** From the header for NIfTI and DICOM; null for LGG TIFFs until the radiologist enters it (they carry none). */
  spacing: PatientSpacing | null;
  /** Where the patient came from, its orientation and intensity units; null for the LGG TIFF layout. */
  scan: PatientScanInfo | null;
}

/** A volume-imported patient as the viewer needs it: which way is which, and the channels' source units. */
export interface PatientScanInfo {
  format: 'nifti' | 'dicom';
  /** The patient direction each edge of the slice faces (radiological view: R on the image's left). */
  edges: { left: string; right: string; top: string; bottom: string };
  /** Per image channel (pre-contrast, FLAIR, post-contrast): the source values its 8-bit 0 and 255 stand for, and
   * which sequence it holds (FLAIR where the patient has no such sequence). */
  channels: Array<{ channel: 't1' | 'flair' | 't1c'; from: 't1' | 'flair' | 't1c'; low: number; high: number }>;
  /** What the import said about this patient (a sequence filled with FLAIR, a gap between slices). */
  warnings: string[];
}

/** One saved version of a slice's mask (its pixels are read with masks:get-version). */
export interface MaskVersion {
  id: number;
  sliceId: number;
  parentId: number | null;
  /** `imported`, `manual` or `model:<id>` (an accepted prediction). */
  source: 'imported' | 'manual' | `model:${string}`;
  createdAt: string;
  pixels: number;
  /** What made this version (see MASK_OPERATIONS); null for versions saved before this was recorded. */
  operation: MaskOperation | null;
  /** Who saved it: the OS user of the process (the radiologist at the workstation); null if not recorded. */
  author: string | null;
}

/** One slice's "fix next" figures. */
export interface SliceReview {
  sliceId: number;
  /** Pixels where the thresholded prediction and the mask differ. */
  disagreement: number;
  /** Sum over pixels of 4·p·(1−p): 0 where the model is certain, 1 per pixel at p = 0.5. */
  uncertainty: number;
  /** Ranking score: disagreement plus half the uncertainty (disagreement is what a correction fixes). */
  score: number;
}

/** A patient's slices worth a look under the active model, most worth first (none without a model). */
export interface SliceRanking {
  modelId: number | null;
  slices: SliceReview[];
}

/** What a mask save answers: the version, and what the UI shows next without asking again. */
export interface MaskSaveResult {
  version: MaskVersion;
  /** The patient's count of slices with a radiologist's edit, after this save. */
  patient: { id: number; editedSlices: number };
  /** The patient's ranking after this save (only the saved slice was scored again). */
  ranking: SliceRanking;
  /**
   * Versions other people saved of this slice since the request's `baseVersionId`, oldest first: both theirs and
   * this one are kept (this one on top, as the current mask), and the UI says so. Empty when nobody did.
   */
  concurrent: MaskVersion[];
}

/**
 * A training run that stopped before it finished — the app was closed, the machine restarted, or it was cancelled —
 * and can continue from its last epoch's checkpoint.
 */
export interface ResumableRun {
  /** ISO 8601. */
  startedAt: string;
  /** The model it fine-tunes; null for a run from scratch. */
  parentModelId: number | null;
  preset: PresetName;
  epochsDone: number;
  epochs: number;
  /** Its time budget in minutes (0: none). */
  minutes: number;
}

/** How a training run ended. */
export type TrainingDone =
  /** `baselineValDice`: the parent's validation Dice on the same masks, what the gate compared with (null: no parent). */
  | { outcome: 'trained'; modelId: number; valDice: number | null; baselineValDice: number | null; accepted: boolean }
  | { outcome: 'cancelled' }
  | { outcome: 'failed'; message: string };

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

/** A file an import or export passed over, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ImportReport {
  patients: number;
  slices: number;
  masks: number;
  lesionSlices: number;
  skipped: SkippedFile[];
  /** Slices already in the catalog with identical content. */
  unchanged: number;
  /** Files whose content differs from the catalogued slice of the same number; the catalogued one is kept. */
  changed: SkippedFile[];
  seconds: number;
  /** Every patient the path held, new or already catalogued, in import order (the UI opens the first). */
  caseIds: string[];
  /** NIfTI files and DICOM series found, each with what it was used as and why. */
  series: ImportedSeries[];
  /** What the user should know about an imported patient (a sequence filled with FLAIR, a gap between slices). */
  warnings: Array<{ caseId: string; message: string }>;
}

/** What a folder holds, before importing: the patients and every series with the role it would get. */
export interface ImportScan {
  patients: Array<{ caseId: string; format: 'lgg-tiff' | 'nifti' | 'dicom'; slices: number | null }>;
  series: ImportedSeries[];
  skipped: SkippedFile[];
}

/** A NIfTI file or DICOM series an import found: the role it got (a sequence, the labels, or skipped) and why. */
export interface ImportedSeries {
  caseId: string;
  format: 'nifti' | 'dicom';
  /** What an override names it by: the file's path, or the DICOM SeriesInstanceUID. */
  key: string;
  label: string;
  role: string;
  reason: string;
}

export interface ImportProgress {
  done: number;
  total: number;
  patient: string;
}

export interface ExportReport {
  patients: number;
  slices: number;
  masks: number;
  skipped: SkippedFile[];
  folder: string;
  /** The label files written (NIfTI, DICOM-SEG); empty for the dataset layout, which writes a folder per patient. */
  files: string[];
}

/** Progress of a training run, at most ~10 per second. */
export interface TrainingProgress {
  phase: 'loading' | 'training' | 'validating';
  epoch: number;
  epochs: number;
  step: number;
  /** Steps of this epoch; {@link BUDGETED_STEPS_PER_EPOCH} when the time budget ends the run. */
  steps: number;
  loss: number | null;
  valDice: number | null;
  slicesPerSecond: number | null;
  etaSeconds: number | null;
}

/** A finished prediction run of one patient (0 slices: nothing was missing). */
export interface PredictionRun {
  patientId: number;
  modelId: number;
  slices: number;
  seconds: number;
}

/** A slice's pixels for display: 8-bit, `channels` interleaved, row-major. */
export interface SliceImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** A binary mask (one byte per pixel, 0/1) and the version it is, or null for a slice without one. */
export interface MaskPixels {
  versionId: number | null;
  width: number;
  height: number;
  data: Uint8Array;
}

/** A slice in the slice strip: its catalog record (without file paths) and whether a radiologist edited its mask. */
export interface SliceListing {
  id: number;
  patientId: number;
  number: number;
  width: number;
  height: number;
  channels: number;
  hasLesion: boolean;
  edited: boolean;
  /** Foreground pixels of the current mask: the lesion's area on this slice. */
  lesionPixels: number;
  /** A second reader's approval of the current mask version, or null (none, or the mask changed since). */
  approval: SliceApproval | null;
}

/** Who approved which mask version of a slice, and when. */
export interface SliceApproval {
  versionId: number;
  reviewer: string;
  at: string;
}

/** A slice's grey FLAIR preview. */
export interface SliceThumbnail {
  sliceId: number;
  width: number;
  height: number;
  data: Uint8Array;
}

/** A stored prediction: 8-bit probabilities (0–255) at the slice's resolution. */
export interface PredictionPixels {
  modelId: number;
  width: number;
  height: number;
  data: Uint8Array;
}

/** A model's version summary for the models panel. */
export interface ModelSummary {
  id: number;
  parentId: number | null;
  preset: string;
  valDice: number | null;
  status: 'accepted' | 'rejected';
  active: boolean;
  createdAt: string;
  /** `bundled`: shipped with the app (trained on the public LGG dataset); `trained`: trained in this data folder. */
  origin: 'trained' | 'bundled';
}

/** Result types of every request. */
export interface RequestResults {
  'catalog:list-patients': PatientSummary[];
  'catalog:set-spacing': PatientSummary[];
  'catalog:list-slices': SliceListing[];
  'slices:get-image': SliceImage;
  'slices:get-thumbnails': SliceThumbnail[];
  'masks:get-current': MaskPixels;
  'masks:list-versions': MaskVersion[];
  'masks:get-version': MaskPixels;
  'masks:approve': SliceApproval;
  'masks:save': MaskSaveResult;
  'import:path': ImportReport;
  'import:scan': ImportScan;
  'export:masks': ExportReport;
  'models:list': ModelSummary[];
  'models:activate': ModelSummary[];
  'predictions:get': PredictionPixels | null;
  'predictions:run': PredictionRun;
  'review:rank-slices': SliceRanking;
  'training:start': { started: true };
  'training:cancel': { cancelling: boolean };
  'training:status': { running: boolean; resumable: ResumableRun | null };
  'training:discard': { discarded: boolean };
}

/** Events the core pushes to the UI. */
export interface EventPayloads {
  'import:progress': ImportProgress;
  'training:progress': TrainingProgress;
  'predictions:progress': { patientId: number; done: number; total: number };
  /**
   * The slice on screen predicted alone, ahead of its patient's volume (before the volume-level step, so it may show
   * specks the stored prediction drops): shown until `predictions:done`.
   */
  'predictions:preview': PredictionPixels & { patientId: number; sliceId: number };
  /** A patient's predictions are stored; after an accepted retrain, `previousModelId` is the model it replaced. */
  'predictions:done': PredictionRun & { previousModelId?: number | null };
  /** The predictions that follow an accepted retrain failed (the new model is active all the same). */
  'predictions:failed': { patientId: number; message: string };
  'menu:command': MenuCommand;
  /** Someone else changed the catalog (a shared one: on PostgreSQL, or a SQLite file several processes use). */
  'catalog:changed': CatalogChange;
  'training:done': TrainingDone;
}

export type EventName = keyof EventPayloads;

/** How the core sends an event to the UI (whatever the transport). */
export type EventSink = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

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

/** The API as the renderer sees it, whatever the transport. */
export interface RendererApi {
  request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResults[N]>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/** Raised for a call that does not fit the contract; transports report it as an error answer. */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
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
