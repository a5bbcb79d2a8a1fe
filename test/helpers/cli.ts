import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './sample-data.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `bin/brainseg` as a user would, with its own data folder. */
export function runCli(home: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/brainseg'), '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a `--json` command and parses its single line of output. */
export function runCliJson<T = Record<string, unknown>>(home: string, args: string[]): { code: number; json: T; stderr: string } {
  const run = runCli(home, [...args, '--json']);
  let json: T;
  try {
    json = JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`brainseg ${args.join(' ')} printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, json, stderr: run.stderr };
}
