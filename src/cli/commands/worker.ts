import { describeLocation, isPostgresUrl } from '../../catalog/postgres-engine.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../ml/backends/backend-choice.js';
import { startTeamWorker } from '../../services/team-worker.js';
import { CliError } from '../cli-error.js';
import { withCatalog, type CommandContext } from '../context.js';
import { untilStopped } from '../until-stopped.js';
import { parseCommandArgs } from '../parse.js';

export const usage = 'brainseg worker [--backend auto|tensorflow|webgpu|wasm|cpu]   run a team catalog\'s training and prediction jobs (needs --database)';

const BACKENDS: readonly string[] = BACKEND_CHOICES;

/**
 * Runs the training and prediction jobs that workstations queue on a team catalog, here (a GPU box with
 * tfjs-node-gpu, or WASM elsewhere), until Ctrl+C. A job under way then is failed back to the queue and retried
 * by another worker; a worker killed outright leaves its job to expire and be retried.
 */
export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('worker', context.args, { backend: { type: 'string' } });
  if (positionals.length) throw new CliError(`usage: ${usage}`, 2);
  const backend = (values.backend ?? 'auto') as BackendChoice;
  if (!BACKENDS.includes(backend)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')}`, 2);
  if (!isPostgresUrl(context.home.catalog)) {
    throw new CliError('a worker serves a team catalog: give --database postgres://… (a SQLite catalog trains in the app or with `brainseg train`)', 2);
  }
  return withCatalog(context, async (db) => {
    const worker = await startTeamWorker(db, context.home, context.home.catalog, backend, (line) => context.stdout.write(`${line}\n`));
    context.stdout.write(`Worker ready: training and prediction jobs of ${describeLocation(context.home.catalog)} (backend ${backend})\n`);
    await untilStopped(() => worker.stop(), context.stderr);
    return 0;
  });
}
