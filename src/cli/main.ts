import { isPostgresUrl } from '../catalog/postgres-engine.js';
import { resolveHome } from '../home.js';
import { appVersion } from '../util/app-version.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './context.js';

interface Command {
  usage: string;
  run(context: CommandContext): Promise<number>;
}

/**
 * Each command's module, loaded only when that command runs (or for the full help): `brainseg masks` or
 * `brainseg models` need not load TensorFlow.js, the DICOM codecs and the server: loading every command took ~1.5 s
 * of CPU, one such command ~0.5–0.8 s, and the tests run the CLI hundreds of times.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  import: () => import('./commands/import.js'),
  info: () => import('./commands/info.js'),
  masks: () => import('./commands/masks.js'),
  export: () => import('./commands/export.js'),
  train: () => import('./commands/train.js'),
  models: () => import('./commands/models.js'),
  predict: () => import('./commands/predict.js'),
  eval: () => import('./commands/eval.js'),
  bench: () => import('./commands/bench.js'),
  backends: () => import('./commands/backends.js'),
  serve: () => import('./commands/serve.js'),
  worker: () => import('./commands/worker.js'),
};

async function helpText(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return [
    'BrainSeg Studio — brain-MRI lesion segmentation workstation',
    '',
    'usage: brainseg [--home DIR] [--database URL] <command> [options]',
    '',
    ...commands.map((c) => `  ${c.usage}`),
    '',
    'The data folder (catalog.sqlite, models/) is --home DIR, else $BRAINSEG_HOME, else ~/.brainseg.',
    'A team shares one PostgreSQL catalog instead: --database postgres://…, else $BRAINSEG_DATABASE_URL.',
    '',
  ].join('\n');
}

/** Pulls the global options `--home DIR` and `--database URL` (or `--opt=value`) out of the arguments, wherever they stand. */
export function extractHome(argv: string[]): { home: string | undefined; database: string | undefined; rest: string[] } {
  const rest: string[] = [];
  const found: Record<'home' | 'database', string | undefined> = { home: undefined, database: undefined };
  const what = { home: 'a folder', database: 'a postgres:// URL' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = (['home', 'database'] as const).find((n) => arg === `--${n}` || arg.startsWith(`--${n}=`));
    if (!name) rest.push(arg);
    else if (arg.includes('=')) found[name] = arg.slice(arg.indexOf('=') + 1);
    else {
      found[name] = argv[++i];
      if (found[name] === undefined) throw new CliError(`--${name} needs ${what[name]}`, 2);
    }
  }
  if (found.database !== undefined && !isPostgresUrl(found.database)) {
    throw new CliError(`--database takes a PostgreSQL URL (postgres://user@host/db); got "${found.database}"`, 2);
  }
  return { ...found, rest };
}

/** Runs the CLI and returns its exit code; errors become one clear line on stderr. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { home, database, rest } = extractHome(argv);
    const [name, ...args] = rest;
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      process.stdout.write(await helpText());
      return name ? 0 : 2;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      process.stdout.write(`brainseg ${appVersion()}\n`);
      return 0;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) throw new CliError(`unknown command "${name}". Run 'brainseg help' for the list.`, 2);
    // `brainseg <command> --help`: that command's usage and options, whatever else is on the line.
    const command = await load();
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`usage: ${command.usage}\n`);
      return 0;
    }
    return await command.run({ args, home: resolveHome(home, process.env, database), stdout: process.stdout, stderr: process.stderr });
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`brainseg: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`brainseg: ${message}\n`);
    if (process.env['BRAINSEG_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
