import { openCatalog, type CatalogDb } from '../catalog/db.js';
import { ensureHome, type HomePaths } from '../home.js';

/** What every command gets: its arguments, the data folder, and a way to open the catalog. */
export interface CommandContext {
  args: string[];
  home: HomePaths;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

/** Opens the catalog of the context's data folder, runs `fn`, and always closes it. */
export async function withCatalog<T>(context: CommandContext, fn: (db: CatalogDb) => Promise<T> | T): Promise<T> {
  const db = openCatalog(ensureHome(context.home).catalog);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** Prints a value as one line of JSON. */
export function printJson(context: CommandContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value)}\n`);
}
