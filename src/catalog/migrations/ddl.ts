import { sql, type ColumnDataType, type ColumnDefinitionBuilder, type CreateTableBuilder } from 'kysely';
import type { MigrationContext } from './migration.js';

// The few places where SQLite and PostgreSQL need different DDL, so that each migration is written once.

/** Column types by what they hold; SQLite's STRICT names on the left, PostgreSQL's on the right. */
export function columnType(context: MigrationContext, kind: 'bytes' | 'real'): ColumnDataType {
  if (kind === 'bytes') return context.dialect === 'sqlite' ? 'blob' : 'bytea';
  return context.dialect === 'sqlite' ? 'real' : 'double precision';
}

/** A surrogate key: SQLite's rowid alias, PostgreSQL's identity column. */
export function idColumn(context: MigrationContext): (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return context.dialect === 'sqlite'
    ? (column) => column.primaryKey()
    : (column) => column.primaryKey().generatedByDefaultAsIdentity();
}

/**
 * Creates a table. On SQLite it is STRICT (a value of the wrong type is refused rather than stored), and
 * `withoutRowid` suits tables whose primary key is the whole row.
 */
export async function createTable(
  context: MigrationContext,
  name: string,
  build: (table: CreateTableBuilder<string, never>) => CreateTableBuilder<string, string>,
  options: { withoutRowid?: boolean } = {},
): Promise<void> {
  let table = build(context.db.schema.createTable(name));
  if (context.dialect === 'sqlite') table = table.modifyEnd(sql.raw(options.withoutRowid ? ' STRICT, WITHOUT ROWID' : ' STRICT'));
  await table.execute();
}

/**
 * A trigger that refuses a change with a message: the rules the schema itself keeps (mask versions are
 * append-only, a patient keeps its split) hold whatever client writes to the database.
 */
export async function refuseChange(
  context: MigrationContext,
  rule: { name: string; table: string; event: 'UPDATE' | 'DELETE' | 'UPDATE OF split'; when?: string; message: string },
): Promise<void> {
  const message = rule.message.replaceAll("'", "''");
  if (context.dialect === 'sqlite') {
    const when = rule.when ? ` WHEN ${rule.when.replaceAll('IS DISTINCT FROM', 'IS NOT')}` : '';
    await sql.raw(`CREATE TRIGGER ${rule.name} BEFORE ${rule.event} ON ${rule.table}${when}
      BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(context.db);
    return;
  }
  await sql.raw(`CREATE OR REPLACE FUNCTION brainseg_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$`).execute(context.db);
  const when = rule.when ? ` WHEN (${rule.when})` : '';
  await sql.raw(`CREATE TRIGGER ${rule.name} BEFORE ${rule.event} ON ${rule.table} FOR EACH ROW${when}
      EXECUTE FUNCTION brainseg_refuse('${message}')`).execute(context.db);
}
