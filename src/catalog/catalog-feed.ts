import pg from 'pg';
import { sql } from 'kysely';
import type { CatalogChange } from '../contract/index.js';
import { CHANGE_CHANNEL } from './change-channel.js';
import { dialectOf, type CatalogDb } from './db.js';

/** Stops a feed. */
export interface CatalogFeed {
  close(): Promise<void>;
}

/**
 * Tells this process what other processes changed in the catalog — a mask saved by another annotator, a patient
 * imported at another workstation, a model trained by a worker — so every open workstation shows it within a
 * second. PostgreSQL pushes it (LISTEN/NOTIFY, sent at commit by the triggers of migration 0080); a SQLite file is
 * shared only by processes on one machine, which poll its `data_version` (it changes when another connection
 * commits) twice a second. Approvals are announced too. Imported masks are not reported one by one: the import reports its patients.
 */
export async function watchCatalog(db: CatalogDb, location: string, onChange: (change: CatalogChange) => void): Promise<CatalogFeed> {
  return dialectOf(db) === 'postgres' ? listen(location, onChange) : poll(db, onChange);
}

/**
 * Tells every workstation of a team catalog something that is not a row: a worker's training progress and result.
 * (A SQLite catalog trains in the workstation's own process, which reports directly.)
 */
export async function announce(db: CatalogDb, change: CatalogChange): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`SELECT pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(change)})`.execute(db);
}

async function listen(url: string, onChange: (change: CatalogChange) => void): Promise<CatalogFeed> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  client.on('notification', (message) => {
    if (message.channel !== CHANGE_CHANNEL || !message.payload) return;
    try {
      onChange(JSON.parse(message.payload) as CatalogChange);
    } catch {
      // A payload from a newer BrainSeg's trigger: not ours to interpret.
    }
  });
  // A lost connection stops the feed quietly; the workstation still works, it only stops hearing others live.
  client.on('error', () => undefined);
  await client.query(`LISTEN ${CHANGE_CHANNEL}`);
  return { close: () => client.end().catch(() => undefined) };
}

const POLL_MS = 500;

async function poll(db: CatalogDb, onChange: (change: CatalogChange) => void): Promise<CatalogFeed> {
  const read = async () => {
    const { rows } = await sql<{ data_version: number }>`PRAGMA data_version`.execute(db);
    const marks = await db
      .selectNoFrom((eb) => [
        eb.selectFrom('masks').select((e) => e.fn.max('id').as('m')).as('mask'),
        eb.selectFrom('patients').select((e) => e.fn.max('id').as('m')).as('patient'),
        eb.selectFrom('models').select((e) => e.fn.max('id').as('m')).as('model'),
        eb.selectFrom('slice_reviews').select((e) => e.fn.max('id').as('m')).as('review'),
        eb.selectFrom('active_model').select('model_id').as('active'),
      ])
      .executeTakeFirstOrThrow();
    return {
      version: rows[0]?.data_version ?? 0, mask: marks.mask ?? 0, patient: marks.patient ?? 0, model: marks.model ?? 0,
      review: marks.review ?? 0, active: marks.active ?? null,
    };
  };
  let last = await read();
  let stopped = false;
  const tick = async () => {
    const now = await read();
    if (now.version === last.version) return; // nobody else committed
    if (now.mask > last.mask) {
      const saved = await db
        .selectFrom('masks as m')
        .innerJoin('slices as s', 's.id', 'm.slice_id')
        .select(['m.id as versionId', 'm.slice_id as sliceId', 's.patient_id as patientId', 'm.author', 'm.source'])
        .where('m.id', '>', last.mask)
        .where('m.source', '<>', 'imported')
        .orderBy('m.id')
        .execute();
      for (const row of saved) onChange({ kind: 'mask', ...row });
    }
    if (now.review > last.review) {
      const approved = await db
        .selectFrom('slice_reviews as r')
        .innerJoin('slices as s', 's.id', 'r.slice_id')
        .select(['r.slice_id as sliceId', 's.patient_id as patientId', 'r.reviewer'])
        .where('r.id', '>', last.review)
        .orderBy('r.id')
        .execute();
      for (const row of approved) onChange({ kind: 'review', ...row });
    }
    if (now.patient > last.patient) onChange({ kind: 'patients' });
    if (now.model > last.model || now.active !== last.active) onChange({ kind: 'models' });
    last = now;
  };
  const timer = setInterval(() => {
    if (!stopped) tick().catch(() => undefined); // a closed or busy catalog: try again next time
  }, POLL_MS);
  timer.unref();
  return {
    close: async () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
