import PgBoss from 'pg-boss';
import type { TrainingStartRequest } from '../api/contract.js';
import { ANNOTATOR_ROLE } from '../catalog/migrations/0090-team-roles.js';

/** The queue of a team catalog's training jobs (pg-boss, in the catalog's own database, schema `pgboss`). */
export const TRAIN_QUEUE = 'brainseg-train';

/** A training job as a workstation asks for it and a worker runs it. */
export interface TrainingJob {
  request: TrainingStartRequest;
}

/**
 * How long a worker may hold a training job before pg-boss takes it as lost (the worker died) and hands it to
 * another. pg-boss 10 (the last for Node 20) has no heartbeat, so this must outlast the run: a retrain's time
 * budget plus half again and five minutes, or six hours for a run paced by epochs. A dead worker's job waits that
 * long before another worker takes it. `BRAINSEG_JOB_EXPIRE_SECONDS` sets it (tests).
 */
export function jobExpirySeconds(request: TrainingStartRequest): number {
  const forced = Number(process.env['BRAINSEG_JOB_EXPIRE_SECONDS']);
  if (forced > 0) return forced;
  return request.minutes ? Math.ceil(request.minutes * 60 * 1.5 + 300) : 6 * 3600;
}

/** A connection to the queue: workstations add jobs and read the queue; workers also claim jobs and keep it. */
export class JobQueue {
  private constructor(private readonly boss: PgBoss) {}

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
      maintenanceIntervalSeconds: 2, monitorStateIntervalSeconds: 10,
    });
    boss.on('error', () => undefined); // a lost connection is retried by pg-boss; nothing to crash over
    await boss.start();
    if (worker) {
      await boss.createQueue(TRAIN_QUEUE, { name: TRAIN_QUEUE, policy: 'singleton', retryLimit: 3, retryDelay: 1 });
      await boss.getDb().executeSql(
        `GRANT USAGE ON SCHEMA pgboss TO ${ANNOTATOR_ROLE};
         GRANT SELECT ON ALL TABLES IN SCHEMA pgboss TO ${ANNOTATOR_ROLE};
         GRANT INSERT ON pgboss.job TO ${ANNOTATOR_ROLE};`,
        [],
      );
    }
    return new JobQueue(boss);
  }

  /** Training jobs waiting or running: a catalog trains one model at a time. */
  async trainingJobs(): Promise<number> {
    return this.boss.getQueueSize(TRAIN_QUEUE, { before: 'completed' });
  }

  /** Queues a training job; refused while another is waiting or running. */
  async enqueueTraining(job: TrainingJob): Promise<string> {
    if ((await this.trainingJobs()) > 0) throw new Error('a training run is already going (or queued) for this catalog');
    const id = await this.boss.send(TRAIN_QUEUE, job, { expireInSeconds: jobExpirySeconds(job.request), retryLimit: 3, retryDelay: 1 });
    if (!id) throw new Error('the training job was not queued');
    return id;
  }

  /** Claims training jobs one at a time and runs them; a throw fails the job (pg-boss retries it). */
  async workTraining(run: (job: TrainingJob, id: string) => Promise<void>): Promise<void> {
    await this.boss.work<TrainingJob>(TRAIN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (job) await run(job.data, job.id);
    });
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: false });
  }
}
