import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Where BrainSeg keeps its catalog and models; shared by the CLI, `brainseg serve` and the Electron app. */
export interface HomePaths {
  root: string;
  catalog: string;
  models: string;
}

/** Resolves the data folder: an explicit `--home`, else `$BRAINSEG_HOME`, else `~/.brainseg`. */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): HomePaths {
  const root = path.resolve(explicit ?? env['BRAINSEG_HOME'] ?? path.join(homedir(), '.brainseg'));
  return { root, catalog: path.join(root, 'catalog.sqlite'), models: path.join(root, 'models') };
}

/** Creates the data folder and its `models/` subfolder if they do not exist yet. */
export function ensureHome(home: HomePaths): HomePaths {
  mkdirSync(home.models, { recursive: true });
  return home;
}
