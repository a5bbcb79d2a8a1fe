import { expressionBuilder, type Expression } from 'kysely';
import type { CatalogSchema } from './schema.js';

/**
 * The id of a slice's current mask version — its newest — as a subquery, for queries that need it per row (the
 * `masks_by_slice` index answers it). `sliceId` is the outer query's slice id column, e.g. `eb.ref('s.id')`.
 */
export function currentVersionIdOf(sliceId: Expression<number>) {
  return expressionBuilder<CatalogSchema>()
    .selectFrom('masks as current_version')
    .select((eb) => eb.fn.max('current_version.id').as('id'))
    .where('current_version.slice_id', '=', sliceId);
}
