import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeWriters, writeTransaction, type CatalogDb } from '../catalog/db.js';
import { countModels, insertModel, listModels, type ModelVersion } from '../catalog/models.js';
import type { HomePaths } from '../home.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** The model shipped in `resources/models/<BUNDLED_MODEL_NAME>/`: weights, card.json and a README. */
export const BUNDLED_MODEL_NAME = 'lgg-unet-fast';

/** What card.json must hold for the model to be registered (the rest is for people to read). */
export interface BundledModelCard {
  name: string;
  weightsFile: string;
  sha256: string;
  preset: string;
  config: Record<string, unknown>;
  trainingPatients: string[];
  validationPatients: { id: string; dice: number }[];
  validationMeanDice: number | null;
  backend: string;
  [key: string]: unknown;
}

/**
 * The folder of the bundled model, found by walking up from this file to `resources/` (the module sits at a
 * different depth under src/ when tests run it and under dist/src/ when built, and inside the app's asar when
 * packaged). `BRAINSEG_BUNDLED_MODEL` names another folder, or `none` to start data folders without a model.
 */
export function bundledModelDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env['BRAINSEG_BUNDLED_MODEL'];
  if (override === 'none') return null;
  if (override) return path.resolve(override);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'resources', 'models', BUNDLED_MODEL_NAME);
    if (existsSync(path.join(candidate, 'card.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function readBundledCard(dir: string): BundledModelCard {
  const card = JSON.parse(readFileSync(path.join(dir, 'card.json'), 'utf8')) as BundledModelCard;
  for (const field of ['weightsFile', 'sha256', 'preset', 'config', 'trainingPatients'] as const) {
    if (card[field] === undefined) throw new Error(`the bundled model's card.json has no "${field}"`);
  }
  return card;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What happened when a data folder was opened: a model registered, nothing to do, or why not. */
export type BundledModelOutcome =
  | { kind: 'registered'; model: ModelVersion }
  | { kind: 'skipped' }
  | { kind: 'unavailable'; reason: string };

/**
 * On a data folder with no model yet, registers the bundled model as its first version and makes it active, so
 * the first patient opened is predicted at once. The weights are checked against the card's sha256 and copied
 * into the data folder (a packaged app's resources are read-only and move with updates). Safe to call from
 * several processes at once: the copy is content-addressed and atomic, the registration happens under the write
 * lock only while the folder still has no model. A damaged bundle is reported, never fatal: the workstation
 * still works, it just starts without a model.
 */
export async function ensureBundledModel(db: CatalogDb, home: HomePaths, dir = bundledModelDir()): Promise<BundledModelOutcome> {
  if (!dir || (await countModels(db)) > 0) return { kind: 'skipped' };
  const bundle = await readCheckedBundle(dir, 'the bundled model');
  if ('reason' in bundle) return { kind: 'unavailable', reason: bundle.reason };
  const file = await copyIntoHome(home, bundle);
  const model = await writeTransaction(db, async (trx) => {
    await serializeWriters(trx, 'models');
    if ((await countModels(trx)) > 0) return null; // another process registered one meanwhile
    return insertModel(trx, bundledRecord(bundle, file, null, bundle.card.config), true);
  });
  return model ? { kind: 'registered', model } : { kind: 'skipped' };
}

/** A bundle's card and weights, the weights checked against the card's sha256; or why it cannot be used. */
async function readCheckedBundle(dir: string, what: string): Promise<{ card: BundledModelCard; weights: Buffer } | { reason: string }> {
  let card: BundledModelCard;
  let weights: Buffer;
  try {
    card = readBundledCard(dir);
    weights = await readFile(path.join(dir, card.weightsFile));
  } catch (error) {
    return { reason: `${what} could not be read: ${(error as Error).message}` };
  }
  const actual = sha256(weights);
  if (actual !== card.sha256) {
    return { reason: `${what}'s weights do not match their card (sha256 ${actual.slice(0, 12)}…, card says ${card.sha256.slice(0, 12)}…): not registered` };
  }
  return { card, weights };
}

/** Copies the weights into the data folder (a packaged app's resources are read-only); returns their catalog path. */
async function copyIntoHome(home: HomePaths, { card, weights }: { card: BundledModelCard; weights: Buffer }): Promise<string> {
  const relative = path.join(`bundled-${card.sha256.slice(0, 12)}`, 'model.bsm');
  await writeOnce(path.join(home.models, relative), weights);
  return relative;
}

/** The catalog row of a shipped model: accepted, from its card, trained on nothing of this folder. */
function bundledRecord(
  { card, weights }: { card: BundledModelCard; weights: Buffer }, file: string, parentId: number | null, config: Record<string, unknown>,
): Parameters<typeof insertModel>[1] {
  return {
    parentId,
    preset: card.preset,
    config,
    metrics: { valDice: card.validationMeanDice, validationPatients: card.validationPatients },
    valDice: card.validationMeanDice,
    backend: card.backend,
    file,
    status: 'accepted',
    maskIds: [],
    origin: 'bundled',
    card,
    weights,
  };
}

/** Writes a content-addressed file once, atomically. */
async function writeOnce(file: string, bytes: Uint8Array): Promise<void> {
  const existing = await stat(file).catch(() => null);
  if (existing?.size === bytes.length) return;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, [bytes]);
}

/** The interactive model shipped beside the automatic one (click to segment, issue #29). */
export const BUNDLED_INTERACTIVE_NAME = 'lgg-unet-interactive';

/** Its folder: beside the bundled automatic model's, when it holds a card (the app works without it). */
export function bundledInteractiveDir(automaticDir = bundledModelDir()): string | null {
  if (!automaticDir) return null;
  const dir = path.join(path.dirname(automaticDir), BUNDLED_INTERACTIVE_NAME);
  return existsSync(path.join(dir, 'card.json')) ? dir : null;
}

/**
 * Registers the shipped interactive model once per data folder (never active: it refines the automatic model's
 * proposals, it does not replace them), with the bundled automatic model as its parent where that is registered.
 * Found already registered by its weights' checksum, so a new app version's model is registered beside the old.
 */
export async function ensureBundledInteractiveModel(db: CatalogDb, home: HomePaths, dir = bundledInteractiveDir()): Promise<BundledModelOutcome> {
  if (!dir) return { kind: 'skipped' };
  const bundle = await readCheckedBundle(dir, 'the bundled interactive model');
  if ('reason' in bundle) return { kind: 'unavailable', reason: bundle.reason };
  const sha = bundle.card.sha256;
  const registered = (models: ModelVersion[]) => models.some((m) => m.origin === 'bundled' && m.card?.['sha256'] === sha);
  if (registered(await listModels(db))) return { kind: 'skipped' };
  const file = await copyIntoHome(home, bundle);
  const model = await writeTransaction(db, async (trx) => {
    await serializeWriters(trx, 'models');
    const models = await listModels(trx);
    if (registered(models)) return null;
    const parent = models.find((m) => m.origin === 'bundled' && m.config['kind'] !== 'interactive');
    return insertModel(trx, bundledRecord(bundle, file, parent?.id ?? null, { ...bundle.card.config, kind: 'interactive' }), false);
  });
  return model ? { kind: 'registered', model } : { kind: 'skipped' };
}
