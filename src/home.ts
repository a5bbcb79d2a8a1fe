import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Where BrainSeg keeps its catalog and models; shared by the CLI, `brainseg serve` and the Electron app. */
export interface HomePaths {
  root: string;
  /** Where the catalog lives: `<root>/catalog.sqlite`, or a team's PostgreSQL database (a `postgres://` URL). */
  catalog: string;
  models: string;
}

/**
 * Resolves the data folder: an explicit `--home`, else `$BRAINSEG_HOME`, else `~/.brainseg`. The catalog is the
 * folder's SQLite file unless a PostgreSQL URL is given (`--database`, else `$BRAINSEG_DATABASE_URL`).
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env, database?: string): HomePaths {
  const root = path.resolve(explicit ?? env['BRAINSEG_HOME'] ?? path.join(homedir(), '.brainseg'));
  const catalog = database ?? (env['BRAINSEG_DATABASE_URL'] || path.join(root, 'catalog.sqlite'));
  return { root, catalog, models: path.join(root, 'models') };
}

/** Where a workstation keeps the slice images of a team catalog, written from the database when first needed. */
export function imageCacheDir(home: HomePaths): string {
  return path.join(home.root, 'image-cache');
}

/** Where the slice images made from imported NIfTI and DICOM volumes are kept (`<dir>/<case id>/<n>.png`). */
export function volumeImageDir(home: HomePaths): string {
  return path.join(home.root, 'volumes');
}

/** Creates the data folder and its `models/` subfolder if they do not exist yet. */
export function ensureHome(home: HomePaths): HomePaths {
  mkdirSync(home.models, { recursive: true });
  return home;
}
