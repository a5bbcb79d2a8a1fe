import { resolveHome } from '../home.js';
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
import * as serveCommand from './commands/serve.js';

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
  serve: serveCommand,
};

function helpText(): string {
  return [
    'BrainSeg Studio — brain-MRI lesion segmentation workstation',
    '',
    'usage: brainseg [--home DIR] <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'The data folder (catalog.sqlite, models/) is --home DIR, else $BRAINSEG_HOME, else ~/.brainseg.',
    '',
  ].join('\n');
}

/** Pulls `--home DIR` / `--home=DIR` out of the arguments, wherever it stands. */
export function extractHome(argv: string[]): { home: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let home: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--home') {
      home = argv[++i];
      if (home === undefined) throw new CliError('--home needs a folder', 2);
    } else if (arg.startsWith('--home=')) home = arg.slice('--home='.length);
    else rest.push(arg);
  }
  return { home, rest };
}

/** Runs the CLI and returns its exit code; errors become one clear line on stderr. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { home, rest } = extractHome(argv);
    const [name, ...args] = rest;
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      process.stdout.write(helpText());
      return name ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command) throw new CliError(`unknown command "${name}". Run 'brainseg help' for the list.`, 2);
    return await command.run({ args, home: resolveHome(home), stdout: process.stdout, stderr: process.stderr });
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
