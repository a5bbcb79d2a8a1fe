import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayloads, TrainingProgress } from '../../src/contract/index.js';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { activeModelId, listModels } from '../../src/catalog/models.js';
import { JobQueue } from '../../src/infrastructure/job-queue.js';
import { isPredicted } from '../../src/services/prediction-pipeline.js';
import { importPath } from '../../src/importer/import.js';
import { connectApi, type ApiClient } from '../../src/server/api-client.js';
import { startServe, type ServeProcess } from '../helpers/browser.js';
import { addTeamMember, freshPostgresUrl, postgresAvailable } from '../helpers/postgres.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';
import { startWorker, type WorkerProcess } from '../helpers/worker.js';

// Team mode's jobs: a workstation queues trainings and predictions on the catalog's PostgreSQL queue (pg-boss), a
// `brainseg worker` with a data folder of its own claims and runs them, and the results are every workstation's. A
// workstation cancels a worker's run; a worker killed with -9 mid-run leaves nothing half-registered, and the lock it
// held on its job goes with its database session, so another worker hands the job back to the queue and runs it
// (long before the job's 23-hour expiry).

describe.skipIf(!postgresAvailable)('team training: jobs on the catalog queue, run by workers', () => {
  let owner: CatalogDb;
  let catalogUrl: string;
  let workstation: ServeProcess;
  let client: ApiClient;
  const workers: WorkerProcess[] = [];
  const done: EventPayloads['training:done'][] = [];
  const progress: TrainingProgress[] = [];
  const predicted: EventPayloads['predictions:done'][] = [];
  const predicting: EventPayloads['predictions:progress'][] = [];
  const previews: EventPayloads['predictions:preview'][] = [];
  let patientIds: number[] = [];

  beforeAll(async () => {
    const url = (catalogUrl = await freshPostgresUrl());
    owner = await openCatalog(url);
    await importPath(owner, makeSampleSubset(tempDir.persistent(), ['TCGA_CS_6665_20010817', 'TCGA_DU_7294_19890104', 'TCGA_HT_7473_19970826']));
    const ana = await addTeamMember(owner, url, 'ana', 'brainseg_annotator');
    // The first worker connects as the catalog's owner: it sets up the queue and lets annotators use it.
    workers.push(await startWorker(url));
    workstation = await startServe(tempDir.persistent(), ['--database', ana.url], { BRAINSEG_BUNDLED_MODEL: 'none' });
    client = await connectApi(workstation.url);
    client.on('training:done', (d) => done.push(d));
    client.on('training:progress', (p) => progress.push(p));
    client.on('predictions:done', (run) => predicted.push(run));
    client.on('predictions:progress', (p) => predicting.push(p));
    client.on('predictions:preview', (p) => previews.push(p));
    patientIds = (await client.request('catalog:list-patients', {})).map((p) => p.id);
  }, 120_000);

  /** Asks for a tiny training from scratch and waits until the worker is training. */
  const trainingUnderWay = async (epochs: number) => {
    progress.length = 0;
    await client.request('training:start', { fromScratch: true, preset: 'tiny', epochs });
    await expect.poll(() => progress.some((p) => p.phase === 'training'), { timeout: 120_000, interval: 100 }).toBe(true);
  };

  const jobStates = async (queue: string) =>
    (await sql<{ state: string }>`SELECT state FROM pgboss.job WHERE name = ${queue} ORDER BY created_on`.execute(owner)).rows.map((r) => r.state);

  afterAll(async () => {
    client?.close();
    try {
      await workstation?.stop(); // `brainseg serve` ends within its shutdown grace (10 s) whatever it was doing
    } finally {
      for (const worker of workers) await worker.kill();
      await owner?.destroy();
    }
  }, 60_000);

  it('a worker claims the job a workstation queued; its progress and model reach the workstation, and it predicts every patient', async () => {
    const shown = patientIds[1]!;
    // Asked twice at the same moment: exactly one run is queued, the other refused.
    const asked = await Promise.allSettled([0, 1].map(() => client.request('training:start', { fromScratch: true, preset: 'tiny', epochs: 1, patientId: shown })));
    expect(asked.map((a) => a.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((asked.find((a) => a.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/already going/);
    expect((await client.request('training:status', {})).running).toBe(true);
    await expect(client.request('training:start', { fromScratch: true, preset: 'tiny', epochs: 1 })).rejects.toThrow(/already going/);
    await expect.poll(() => done.length, { timeout: 120_000, interval: 250 }).toBe(1);
    expect(done[0]).toMatchObject({ outcome: 'trained', accepted: true, baselineValDice: null }); // from scratch: no parent to compare with
    expect(progress.length).toBeGreaterThan(0);
    const modelId = (done[0] as { modelId: number }).modelId;
    expect((await client.request('models:list', {})).find((m) => m.active)?.id).toBe(modelId);
    expect(await activeModelId(owner)).toBe(modelId);
    expect((await client.request('training:status', {})).running).toBe(false);

    // The new model's predictions follow, as prediction jobs: the requester's patient first, then the others.
    await expect.poll(() => predicted.filter((r) => r.modelId === modelId && r.slices > 0).map((r) => r.patientId), { timeout: 120_000, interval: 250 })
      .toEqual([shown, ...patientIds.filter((id) => id !== shown)]);
    expect(predicted[0]).toMatchObject({ patientId: shown, modelId, previousModelId: null });
    for (const id of patientIds) expect(await isPredicted(owner, id, modelId)).toBe(true);
    expect(await jobStates('brainseg-predict')).toEqual(['completed', 'completed', 'completed']);
    expect(await jobStates('brainseg-train')).toEqual(['completed']);
  }, 240_000);

  it("a workstation's prediction is a job for the connected worker, whose progress and result it shows; the slice on screen is previewed here", async () => {
    const modelId = (await activeModelId(owner))!;
    const patientId = patientIds[0]!;
    const listing = await client.request('catalog:list-slices', { patientId });
    const shown = listing[Math.floor(listing.length / 2)]!.id;
    predicted.length = 0;
    predicting.length = 0;
    const run = await client.request('predictions:run', { patientId, modelId, sliceId: shown });
    const slices = listing.length;
    // (This workstation's predictor loads the model the worker activated as soon as it hears of it; were it still
    // loading, the preview could come after the worker's prediction, which the page then shows instead.)
    // The shown slice first, then its two neighbours (where a reader steps next).
    const middle = Math.floor(listing.length / 2);
    const expected = [shown, listing[middle - 1]!.id, listing[middle + 1]!.id].map((sliceId) => [patientId, sliceId, modelId]);
    await expect.poll(() => previews.map((p) => [p.patientId, p.sliceId, p.modelId]), { timeout: 30_000 }).toEqual(expected);
    expect(previews[0]!.data.length).toBe(previews[0]!.width * previews[0]!.height);
    expect(run).toMatchObject({ patientId, modelId, slices });
    expect(workers[0]!.output()).toMatch(new RegExp(`: patient ${patientId} by model ${modelId}: ${slices} slices predicted`));
    expect((await jobStates('brainseg-predict')).length).toBe(4);
    expect(predicting).toContainEqual({ patientId, done: slices, total: slices });
    await expect.poll(() => predicted).toEqual([{ patientId, modelId, slices, seconds: run.seconds }]);
  }, 120_000);

  it("a workstation cancels the worker's run: nothing is registered, and the job is not retried", async () => {
    const modelsBefore = (await listModels(owner)).length;
    await trainingUnderWay(50);
    expect(await client.request('training:cancel', {})).toEqual({ cancelling: true });
    await expect.poll(() => done.length, { timeout: 60_000, interval: 250 }).toBe(2);
    expect(done[1]).toEqual({ outcome: 'cancelled' });
    expect(workers[0]!.output()).toMatch(/Job .*: cancelled/);
    expect((await client.request('training:status', {})).running).toBe(false);
    expect((await listModels(owner)).length).toBe(modelsBefore);
    expect((await jobStates('brainseg-train')).at(-1)).toBe('cancelled');
    expect(await client.request('training:cancel', {})).toEqual({ cancelling: false });
  }, 240_000);

  it('a worker killed mid-run leaves no half model, and another worker sees it gone and runs the job', async () => {
    const modelsBefore = (await listModels(owner)).length;
    await trainingUnderWay(2);
    await workers[0]!.kill();
    expect((await listModels(owner)).length).toBe(modelsBefore);
    const second = await startWorker(catalogUrl);
    workers.push(second);
    await expect.poll(() => done.length, { timeout: 240_000, interval: 500 }).toBe(3);
    expect(second.output()).toMatch(/Job .*: its worker is gone; handed back to the queue/);
    // (Logged once the new model's predictions are queued, just after the end is announced.)
    await expect.poll(() => second.output()).toMatch(/Job .*: model \d+ \(active\)/);
    expect(done[2]).toMatchObject({ outcome: 'trained' });
    const models = await listModels(owner);
    expect(models.length).toBe(modelsBefore + 1);
    const { rows } = await sql<{ retry_count: number }>`SELECT retry_count FROM pgboss.job WHERE name = 'brainseg-train' ORDER BY created_on DESC LIMIT 1`.execute(owner);
    await expect.poll(async () => (await sql<{ state: string }>`SELECT state FROM pgboss.job WHERE name = 'brainseg-train' ORDER BY created_on DESC LIMIT 1`.execute(owner)).rows[0]?.state).toBe('completed');
    expect(rows[0]!.retry_count).toBeGreaterThanOrEqual(1);
  }, 360_000);

});

describe.skipIf(!postgresAvailable)('team training: one run per catalog', () => {
  it('queues exactly one training when six workstations ask at the same moment', async () => {
    const url = await freshPostgresUrl();
    const owner = await openCatalog(url);
    const ana = await addTeamMember(owner, url, 'ana', 'brainseg_annotator');
    const setUp = await JobQueue.open(url, 'worker'); // the first worker's set-up of the queue; it claims nothing
    const workstations = await Promise.all(Array.from({ length: 6 }, () => JobQueue.open(ana.url, 'workstation')));
    try {
      const asked = await Promise.allSettled(workstations.map((q) => q.enqueueTraining({ request: { fromScratch: true, preset: 'tiny', epochs: 1 } })));
      expect(asked.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const a of asked) if (a.status === 'rejected') expect(String(a.reason)).toMatch(/already going/);
      expect(await workstations[0]!.trainingJobs()).toBe(1);
    } finally {
      for (const q of [setUp, ...workstations]) await q.close();
      await owner.destroy();
    }
  }, 60_000);
});
