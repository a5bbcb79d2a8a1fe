import pg from 'pg';
import PgBoss from 'pg-boss';
import type { PredictionRun, TrainingStartRequest } from '../contract/index.js';
import { ANNOTATOR_ROLE } from '../catalog/team-roles.js';

/** The queue of a team catalog's training jobs (pg-boss, in the catalog's own database, schema `pgboss`). */
export const TRAIN_QUEUE = 'brainseg-train';

/** The queue of a team catalog's prediction jobs: one patient by one model each. */
export const PREDICT_QUEUE = 'brainseg-predict';

/** How workers name their database connections, so that workstations can see whether one is there. */
export const WORKER_APPLICATION_NAME = 'brainseg-worker';

/** A training job as a workstation asks for it and a worker runs it. */
export interface TrainingJob {
  request: TrainingStartRequest;
}

/**
 * A prediction job: a patient by a model. `ifMissing`: only when some slice lacks that model's prediction.
 * `previousModelId`: the model an accepted retrain replaced (the "what changed" view compares with it).
 */
export interface PredictionJob {
  patientId: number;
  modelId: number;
  ifMissing?: boolean;
  previousModelId?: number | null;
}

/** What a prediction job asked at a workstation gets first; the re-prediction of a catalog after a retrain waits. */
export const PRIORITY = { asked: 10, background: 0 } as const;

/** A prediction that no worker finished in this long is given up (the worker died or the queue is stuck). */
const PREDICTION_EXPIRY_SECONDS = 15 * 60;

/**
 * The backstop for a worker that is alive but stuck: a training job held longer than this is handed to another
 * worker by pg-boss. (A worker that dies is noticed within seconds by its lock, see {@link JobQueue.holdJob}.)
 * A retrain's time budget twice over plus a quarter of an hour, or 23 hours (pg-boss's limit is 24) for a run paced
 * by epochs.
 */
function jobExpirySeconds(request: TrainingStartRequest): number {
  return request.minutes ? Math.ceil(request.minutes * 60 * 2 + 900) : 23 * 3600;
}

/** The two-key advisory locks that say "this job's worker is alive" (any number; the catalog's locks use one key). */
const JOB_LOCK_NAMESPACE = 0x62736a; // "bsj"

/** A queue's jobs still waiting or running (pg-boss's states before `completed`): $1 is the queue. */
const UNFINISHED_JOBS = `SELECT id FROM pgboss.job WHERE name = $1 AND state < 'completed'`;

/** A job claimed this recently may not hold its lock yet: it is not taken for orphaned. */
const CLAIM_GRACE_SECONDS = 10;

/** A connection to the queue: workstations add jobs and read the queue; workers also claim jobs and keep it. */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly url: string,
  ) {}

  /**
   * `worker`: runs pg-boss's maintenance (expiring the jobs of workers that died, so they are retried) and creates
   * the queue's schema on first use, granting annotators what queuing needs — so the first worker must connect as a
   * role that may create schemas (the database's owner, or a service account). Workstations only queue.
   */
  static async open(url: string, role: 'worker' | 'workstation'): Promise<JobQueue> {
    const worker = role === 'worker';
    const boss = new PgBoss({
      connectionString: url, max: 2,
      migrate: worker, supervise: worker, schedule: false,
      ...(worker && { application_name: WORKER_APPLICATION_NAME }),
      maintenanceIntervalSeconds: 2, monitorStateIntervalSeconds: 10,
    });
    boss.on('error', () => undefined); // a lost connection is retried by pg-boss; nothing to crash over
    await boss.start();
    if (worker) {
      await boss.createQueue(TRAIN_QUEUE, { name: TRAIN_QUEUE, policy: 'singleton', retryLimit: 3, retryDelay: 1 });
      await boss.createQueue(PREDICT_QUEUE, { name: PREDICT_QUEUE, policy: 'standard', retryLimit: 1, retryDelay: 1 });
      // Queuing is an INSERT; cancelling a training is an UPDATE of its row (pg-boss's own cancel).
      await boss.getDb().executeSql(
        `GRANT USAGE ON SCHEMA pgboss TO ${ANNOTATOR_ROLE};
         GRANT SELECT ON ALL TABLES IN SCHEMA pgboss TO ${ANNOTATOR_ROLE};
         GRANT INSERT, UPDATE ON pgboss.job TO ${ANNOTATOR_ROLE};`,
        [],
      );
    }
    return new JobQueue(boss, url);
  }

  /** Training jobs waiting or running: a catalog trains one model at a time. */
  async trainingJobs(): Promise<number> {
    return (await this.unfinished(TRAIN_QUEUE)).length;
  }

  /**
   * Queues a training job; refused while another is waiting or running. The check and the insert are one
   * transaction under an advisory lock, so two workstations asking at the same moment cannot both get in.
   */
  async enqueueTraining(job: TrainingJob): Promise<string> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [JOB_LOCK_NAMESPACE, TRAIN_QUEUE]);
      if ((await client.query(UNFINISHED_JOBS, [TRAIN_QUEUE])).rows.length > 0) throw new Error('a training run is already going (or queued) for this catalog');
      const id = await this.boss.send(TRAIN_QUEUE, job, {
        expireInSeconds: jobExpirySeconds(job.request), retryLimit: 3, retryDelay: 1,
        db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) },
      });
      if (!id) throw new Error('the training job was not queued');
      await client.query('COMMIT');
      return id;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Claims training jobs one at a time and runs them; a throw fails the job (pg-boss retries it). */
  async workTraining(run: (job: TrainingJob, id: string) => Promise<void>): Promise<void> {
    await this.boss.work<TrainingJob>(TRAIN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (job) await run(job.data, job.id);
    });
  }

  /**
   * Cancels the catalog's waiting or running training jobs; resolves with how many there were. A running job's
   * worker sees its job cancelled (it checks every few seconds) and stops its training run; a cancelled job is not retried.
   */
  async cancelTraining(): Promise<number> {
    const ids = await this.unfinished(TRAIN_QUEUE);
    if (ids.length) await this.boss.cancel(TRAIN_QUEUE, ids);
    return ids.length;
  }

  /** Whether a claimed job is still running (not cancelled from a workstation, not failed or handed on). */
  async isActive(queue: string, id: string): Promise<boolean> {
    return (await this.boss.getJobById(queue, id))?.state === 'active';
  }

  /**
   * pg-boss 10 has no heartbeat, so a worker marks a job it runs as alive itself: a session advisory lock, held on a
   * connection of its own for as long as the run lasts. The database drops the lock the moment that session ends —
   * the worker's process died, its machine went down, the network went — and the other workers then fail the job
   * back to the queue ({@link failOrphans}), to be retried at once. `onLost`: the connection broke while the worker
   * lives on (another worker may take the job now), so it should stop the run. Resolves with the release.
   */
  async holdJob(id: string, onLost: () => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: this.url, application_name: WORKER_APPLICATION_NAME });
    await client.connect();
    let released = false;
    client.on('error', () => undefined);
    client.on('end', () => released || onLost());
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [JOB_LOCK_NAMESPACE, id]);
    return async () => {
      released = true;
      await client.end().catch(() => undefined); // ending the session releases the lock
    };
  }

  /**
   * Fails the running training jobs whose worker is gone (nobody holds their lock), so that pg-boss retries them
   * now instead of at their expiry. Resolves with their ids.
   */
  async failOrphans(): Promise<string[]> {
    const { rows } = await this.boss.getDb().executeSql(
      `SELECT id FROM pgboss.job
        WHERE name = $1 AND state = 'active' AND started_on < now() - make_interval(secs => $2)
          AND pg_try_advisory_xact_lock($3, hashtext(id::text))`,
      [TRAIN_QUEUE, CLAIM_GRACE_SECONDS, JOB_LOCK_NAMESPACE],
    ) as { rows: { id: string }[] };
    const ids = rows.map((r) => r.id);
    for (const id of ids) await this.boss.fail(TRAIN_QUEUE, id, { message: 'its worker is gone' });
    return ids;
  }

  /**
   * Whether a `brainseg worker` is connected to this catalog now: its connections carry
   * {@link WORKER_APPLICATION_NAME}, which `pg_stat_activity` shows to every role.
   */
  async workersConnected(): Promise<boolean> {
    const { rows } = await this.boss.getDb().executeSql(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [WORKER_APPLICATION_NAME],
    ) as { rows: { n: number }[] };
    return (rows[0]?.n ?? 0) > 0;
  }

  /** Queues a prediction job (asked at a workstation: ahead of background ones). */
  async enqueuePrediction(job: PredictionJob, priority: number = PRIORITY.asked): Promise<string> {
    const id = await this.boss.send(PREDICT_QUEUE, job, { priority, expireInSeconds: PREDICTION_EXPIRY_SECONDS, retryLimit: 1, retryDelay: 1 });
    if (!id) throw new Error('the prediction job was not queued');
    return id;
  }

  /**
   * Waits for a prediction job to end: its run, or the worker's error. A job no worker has claimed within
   * `claimWithinMs` (workers all stuck, or gone since we looked) is cancelled and null returned: the caller predicts
   * it itself.
   */
  async predictionResult(id: string, claimWithinMs = 30_000, pollMs = 250): Promise<PredictionRun | null> {
    const giveUpAt = Date.now() + claimWithinMs;
    for (;;) {
      const job = await this.boss.getJobById<PredictionJob>(PREDICT_QUEUE, id);
      if (!job) throw new Error(`prediction job ${id} is gone from the queue`);
      if (job.state === 'completed') return job.output as PredictionRun;
      if (job.state === 'failed' || job.state === 'cancelled') {
        const message = (job.output as { message?: string } | null)?.message ?? job.state;
        throw new Error(`the worker could not predict patient ${job.data.patientId}: ${message}`);
      }
      if (job.state === 'created' && Date.now() > giveUpAt) {
        await this.boss.cancel(PREDICT_QUEUE, id);
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Claims prediction jobs one at a time; the run's summary is the job's output, a throw fails it. */
  async workPredictions(run: (job: PredictionJob, id: string) => Promise<PredictionRun>): Promise<void> {
    await this.boss.work<PredictionJob>(PREDICT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5, priority: true }, async ([job]) =>
      job ? run(job.data, job.id) : undefined);
  }

  private async unfinished(queue: string): Promise<string[]> {
    const { rows } = await this.boss.getDb().executeSql(UNFINISHED_JOBS, [queue]) as { rows: { id: string }[] };
    return rows.map((r) => r.id);
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: false });
  }
}

/** A workstation's connection to its team's queue, opened when first needed and shared by its services. */
export interface WorkstationQueue {
  get(): Promise<JobQueue>;
  close(): void;
}

export function workstationQueue(url: string): WorkstationQueue {
  let queue: Promise<JobQueue> | null = null;
  return {
    get() {
      queue ??= JobQueue.open(url, 'workstation').catch((error: Error) => {
        queue = null;
        throw new Error(`the team's job queue is not reachable (${error.message}); is a \`brainseg worker\` set up for this catalog?`);
      });
      return queue;
    },
    close: () => void queue?.then((q) => q.close(), () => undefined),
  };
}
