import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './sample-data.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `bin/brainseg` as a user would, with its own data folder. Asynchronous on purpose: a
 * synchronous spawn would block the test worker's event loop for the whole command (a training run can take
 * a minute under load), starving Vitest's own messages.
 */
export function runCli(home: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/brainseg'), '--home', home, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs a `--json` command and parses its single line of output. */
export async function runCliJson<T = Record<string, unknown>>(home: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; json: T; stderr: string }> {
  const run = await runCli(home, [...args, '--json'], env);
  let json: T;
  try {
    json = JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`brainseg ${args.join(' ')} printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, json, stderr: run.stderr };
}
