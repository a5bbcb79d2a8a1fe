import { openCatalog, type CatalogDb } from '../catalog/db.js';
import { ensureBundledInteractiveModel, ensureBundledModel } from '../bundled/bundled-model.js';
import { ensureHome, type HomePaths } from '../home.js';

/** What every command gets: its arguments, the data folder, and a way to open the catalog. */
export interface CommandContext {
  args: string[];
  home: HomePaths;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Opens the catalog of the context's data folder, runs `fn`, and always closes it. A data folder with no model yet
 * gets the bundled one first (said once on stderr), so every front door starts from the same model.
 */
export async function withCatalog<T>(context: CommandContext, fn: (db: CatalogDb) => Promise<T> | T): Promise<T> {
  const db = await openCatalog(ensureHome(context.home).catalog);
  try {
    const bundled = await ensureBundledModel(db, context.home);
    if (bundled.kind === 'registered') context.stderr.write(`Registered the bundled model as model ${bundled.model.id} (active).\n`);
    if (bundled.kind === 'unavailable') context.stderr.write(`Warning: ${bundled.reason}\n`);
    const interactive = await ensureBundledInteractiveModel(db, context.home);
    if (interactive.kind === 'registered') context.stderr.write(`Registered the bundled interactive model as model ${interactive.model.id}.\n`);
    if (interactive.kind === 'unavailable') context.stderr.write(`Warning: ${interactive.reason}\n`);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Prints a value as one line of JSON. */
export function printJson(context: CommandContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value)}\n`);
}
