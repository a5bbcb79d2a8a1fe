import { isPostgresUrl } from '../catalog/postgres-engine.js';
import { resolveHome } from '../home.js';
import { appVersion } from '../util/app-version.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './context.js';
import * as exportCommand from './commands/export.js';
import * as importCommand from './commands/import.js';
import * as infoCommand from './commands/info.js';
import * as masksCommand from './commands/masks.js';
import * as modelsCommand from './commands/models.js';
import * as predictCommand from './commands/predict.js';
import * as trainCommand from './commands/train.js';
import * as evalCommand from './commands/eval.js';
import * as benchCommand from './commands/bench.js';
import * as backendsCommand from './commands/backends.js';
import * as serveCommand from './commands/serve.js';
import * as workerCommand from './commands/worker.js';

interface Command {
  usage: string;
  run(context: CommandContext): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  import: importCommand,
  info: infoCommand,
  masks: masksCommand,
  export: exportCommand,
  train: trainCommand,
  models: modelsCommand,
  predict: predictCommand,
  eval: evalCommand,
  bench: benchCommand,
  backends: backendsCommand,
  serve: serveCommand,
  worker: workerCommand,
};

function helpText(): string {
  return [
    'BrainSeg Studio — brain-MRI lesion segmentation workstation',
    '',
    'usage: brainseg [--home DIR] [--database URL] <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
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
      process.stdout.write(helpText());
      return name ? 0 : 2;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      process.stdout.write(`brainseg ${appVersion()}\n`);
      return 0;
    }
    const command = COMMANDS[name];
    if (!command) throw new CliError(`unknown command "${name}". Run 'brainseg help' for the list.`, 2);
    // `brainseg <command> --help`: that command's usage and options, whatever else is on the line.
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
