// Child process for the crash-safety and concurrent-writer tests: saves mask versions in a loop (forever, or
// `count` times) into a catalog (a SQLite file or a postgres:// URL) and prints each id once it has committed.
// The crash test SIGKILLs it at seeded moments; every printed id must survive. With MARK_SAVES=1 it also prints
// `saving` before each save starts, so the crash test can tell from the last line where a kill landed.
// Runs the built core (dist/), which `npm test` compiles first.
import { openCatalog } from '../../dist/src/catalog/db.js';
import { saveMaskVersion } from '../../dist/src/catalog/masks.js';

const [catalog, sliceId, count] = process.argv.slice(2);
const limit = count ? Number(count) : Infinity;
const markSaves = process.env.MARK_SAVES === '1';
const db = await openCatalog(catalog);
const size = 256;
for (let i = 0; i < limit; i++) {
  const data = new Uint8Array(size * size);
  const x0 = (i * 7) % 200;
  for (let y = 20; y < 60; y++) for (let x = x0; x < x0 + 40; x++) data[y * size + x] = 1;
  if (markSaves) process.stdout.write('saving\n');
  const version = await saveMaskVersion(db, Number(sliceId), { width: size, height: size, data }, 'manual', { operation: 'brush' });
  process.stdout.write(`${version.id}\n`); // pipes are synchronous on Linux: written before the next save starts
}
await db.destroy();
