import { announce } from '../../catalog/catalog-feed.js';
import { describeLocation, isPostgresUrl } from '../../catalog/postgres-engine.js';
import type { BackendChoice } from '../../ml/backends/select-backend.js';
import { JobQueue } from '../../services/job-queue.js';
import { doneEvent, trainRequestFrom } from '../../services/training-session.js';
import { startTraining } from '../../services/training-service.js';
import { CliError } from '../cli-error.js';
import { withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs } from '../parse.js';

export const usage = 'brainseg worker [--backend auto|tensorflow|wasm|cpu]   run a team catalog\'s training jobs (needs --database)';

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'];

/**
 * Claims the training jobs that workstations queue on a team catalog, one at a time, and runs them here (a GPU box
 * with tfjs-node-gpu, or WASM elsewhere). Progress and the result reach every workstation through the catalog; the
 * new model is registered with its weights in one transaction, so a worker killed mid-run leaves nothing half-made,
 * and its job goes to another worker once it expires. Runs until Ctrl+C (a job under way then is left to expire and
 * go to another worker).
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
    const queue = await JobQueue.open(context.home.catalog, 'worker');
    context.stdout.write(`Worker ready: training jobs of ${describeLocation(context.home.catalog)} (backend ${backend})\n`);
    await queue.workTraining(async (job, id) => {
      context.stdout.write(`Job ${id}: training ${JSON.stringify(job.request)}\n`);
      try {
        const training = await startTraining(db, context.home, trainRequestFrom(job.request, backend), (message) => {
          if (message.type === 'progress') void announce(db, { kind: 'training-progress', progress: message.progress }).catch(() => undefined);
        });
        const outcome = await training.outcome;
        await announce(db, { kind: 'training-done', done: doneEvent(outcome) });
        context.stdout.write(`Job ${id}: ${outcome.kind === 'trained' ? `model ${outcome.model.id} (${outcome.accepted ? 'active' : 'rejected'})` : 'cancelled'}\n`);
      } catch (error) {
        // Reported to every workstation, and thrown so that pg-boss retries the job.
        await announce(db, { kind: 'training-done', done: { outcome: 'failed', message: (error as Error).message } }).catch(() => undefined);
        context.stderr.write(`Job ${id} failed: ${(error as Error).message}\n`);
        throw error;
      }
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await queue.close();
    return 0;
  });
}
