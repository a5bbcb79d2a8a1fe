import { z } from 'zod';
import type { PatientSummary } from '../catalog/patients.js';
import { MASK_OPERATIONS, type MaskOperation, type MaskVersion, type Slice } from '../catalog/types.js';
import type { ExportReport } from '../exporter/export.js';
import type { ImportReport, ImportProgress } from '../importer/import.js';
import type { SliceReview } from '../review/rank-slices.js';
import type { TrainingProgress } from '../trainer/protocol.js';

// The one contract between the UI and the core. The Electron preload and `brainseg serve`'s WebSocket bind the
// same names, so the renderer cannot tell them apart. Every request takes one object argument, validated on the
// trusted side before a handler runs; binary data travels as Uint8Array.

const id = z.number().int().positive();
const bytes = z.instanceof(Uint8Array);

/** Argument schemas of every request, by `domain:verb` name. */
/** The operations a mask save from the UI can name (import and file come from the importer and the CLI). */
export const EDIT_OPERATIONS = MASK_OPERATIONS.filter((o): o is Exclude<MaskOperation, 'import' | 'file'> => o !== 'import' && o !== 'file') as
  [Exclude<MaskOperation, 'import' | 'file'>, ...Exclude<MaskOperation, 'import' | 'file'>[]];
export type EditOperation = (typeof EDIT_OPERATIONS)[number];

export const REQUEST_SCHEMAS = {
  'catalog:list-patients': z.object({}).strict(),
  'catalog:set-spacing': z.object({ patientId: id, pixelMm: z.number().gt(0).lt(100), sliceMm: z.number().gt(0).lt(100) }).strict(),
  'catalog:list-slices': z.object({ patientId: id }).strict(),
  'slices:get-image': z.object({ sliceId: id }).strict(),
  'slices:get-thumbnails': z.object({ patientId: id, size: z.number().int().min(16).max(256) }).strict(),
  'masks:get-current': z.object({ sliceId: id }).strict(),
  'masks:list-versions': z.object({ sliceId: id }).strict(),
  'masks:get-version': z.object({ versionId: id }).strict(),
  'masks:save': z
    .object({
      sliceId: id, width: z.number().int().positive(), height: z.number().int().positive(), data: bytes,
      // What the radiologist did; 'accept' names the model whose prediction became the mask.
      operation: z.enum(EDIT_OPERATIONS), acceptedModelId: id.optional(),
    })
    .strict()
    .refine((m) => m.data.length === m.width * m.height, { message: 'data must hold width × height pixels' })
    .refine((m) => (m.operation === 'accept') === (m.acceptedModelId !== undefined), { message: 'acceptedModelId goes with operation "accept", and only with it' }),
  'import:path': z.object({ path: z.string().min(1) }).strict(),
  'export:masks': z.object({ path: z.string().min(1), caseId: z.string().min(1).optional(), overwriteOriginals: z.boolean().optional() }).strict(),
  'models:list': z.object({}).strict(),
  'models:activate': z.object({ modelId: id }).strict(),
  'predictions:get': z.object({ sliceId: id, modelId: id.optional() }).strict(),
  // ifMissing: only when some slice of the patient has no prediction by that model (opening a patient).
  'predictions:run': z.object({ patientId: id, modelId: id.optional(), ifMissing: z.boolean().optional() }).strict(),
  'review:rank-slices': z.object({ patientId: id, threshold: z.number().gt(0).lt(1).optional() }).strict(),
  'training:start': z
    .object({
      fromScratch: z.boolean(),
      preset: z.enum(['fast', 'full', 'tiny']).optional(),
      epochs: z.number().int().positive().max(1000).optional(),
      minutes: z.number().positive().optional(),
    })
    .strict(),
  'training:cancel': z.object({}).strict(),
  'training:status': z.object({}).strict(),
} as const;

export type { MaskVersion, MaskOperation, PatientSummary };


/** Every request's name. */
export type RequestName = keyof typeof REQUEST_SCHEMAS;

/** A request's argument type. */
export type RequestArgs<N extends RequestName> = z.input<(typeof REQUEST_SCHEMAS)[N]>;

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

/** A slice in the slice strip: its catalog record and whether a radiologist has edited its mask. */
export interface SliceListing extends Slice {
  edited: boolean;
  /** Foreground pixels of the current mask: the lesion's area on this slice. */
  lesionPixels: number;
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
  'masks:save': MaskVersion;
  'import:path': ImportReport;
  'export:masks': ExportReport;
  'models:list': ModelSummary[];
  'models:activate': ModelSummary[];
  'predictions:get': PredictionPixels | null;
  'predictions:run': { modelId: number; slices: number; seconds: number };
  'review:rank-slices': { modelId: number | null; slices: SliceReview[] };
  'training:start': { started: true };
  'training:cancel': { cancelling: boolean };
  'training:status': { running: boolean };
}

/** Events the core pushes to the UI. */
export interface EventPayloads {
  'import:progress': ImportProgress;
  'training:progress': TrainingProgress;
  'predictions:progress': { patientId: number; done: number; total: number };
  'menu:command': MenuCommand;
  'training:done':
    | { outcome: 'trained'; modelId: number; valDice: number | null; accepted: boolean }
    | { outcome: 'cancelled' }
    | { outcome: 'failed'; message: string };
}

export type EventName = keyof EventPayloads;

/**
 * Menu and accelerator commands the desktop shell forwards to the UI (the browser shows the same commands as
 * buttons). Folder choices come from native dialogs in the shell and go through the same requests as the
 * browser's path field.
 */
export type MenuCommand =
  | { command: 'import-path'; path: string }
  | { command: 'export-masks'; path: string }
  | { command: 'retrain' | 'train-from-scratch' | 'predict-patient' | 'show-models' }
  | { command: 'toggle-mask' | 'toggle-prediction' | 'toggle-difference' };

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
