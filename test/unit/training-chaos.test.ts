// kill -9 of training runs at seeded random moments mid-training (after a step has started, before the run's end —
// checked from its progress events), each followed by `--resume`: the active model is never a
// half-written file, a registered model's weights never change, and the catalog stays whole.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { activeModelId, listModels } from '../../src/catalog/models.js';
import { loadModelFile } from '../../src/ml/model-file.js';
import { createRandom } from '../../src/ml/sampling.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { makeSampleSubset, REPO_ROOT } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const TINY = ['--preset', 'tiny', '--features', '4', '--size', '32', '--backend', 'wasm'];
const KILLS = 5;
const SEED = 7;

/** Where a kill landed, from the run's own progress events (`train --json`). */
interface KillOutcome {
  /** The kill was sent after a training step had started and before the run reported its end. */
  duringTraining: boolean;
}

/**
 * Starts `brainseg train --json` in its own process group and SIGKILLs the whole group (CLI and compute process) `ms` after
 * its first training step has started (not after its start: loading and preparing the data take a varying time, and a
 * kill there would not test a run mid-training). Reports whether the kill landed before the run's end.
 */
function trainAndKill(home: string, args: string[], ms: number): Promise<KillOutcome> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/brainseg'), '--home', home, 'train', ...args, '--json'], {
    detached: true, stdio: ['ignore', 'pipe', 'ignore'],
  });
  let ended = false;
  let killedDuringTraining = false;
  let timer: NodeJS.Timeout | undefined;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      let event: { type?: string; phase?: string };
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        continue;
      }
      if (event.type === 'done' || event.type === 'error' || event.type === 'cancelled') ended = true;
      if (!timer && event.type === 'progress' && event.phase === 'training') {
        timer = setTimeout(() => {
          if (ended) return;
          killedDuringTraining = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            killedDuringTraining = false; // it had already exited
          }
        }, ms);
      }
    }
  });
  return new Promise((resolve) => {
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ duringTraining: killedDuringTraining });
    });
  });
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('training under kill -9', () => {
  it(`keeps registered models intact and the active one loadable through ${KILLS} kills and resumes`, async () => {
    const home = tempDir();
    expect((await runCli(home, ['import', makeSampleSubset(tempDir(), ['TCGA_CS_6665_20010817', 'TCGA_DU_7294_19890104', 'TCGA_HT_7473_19970826'])])).code).toBe(0);
    expect((await runCli(home, ['train', ...TINY, '--epochs', '1', '--steps', '2'])).code).toBe(0);
    const registered = new Map<number, string>();
    const record = async () => {
      const db = await openCatalog(path.join(home, 'catalog.sqlite'));
      try {
        expect((await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db)).rows).toEqual([{ integrity_check: 'ok' }]);
        for (const m of await listModels(db)) {
          const file = path.resolve(home, 'models', m.file);
          const hash = digest(file);
          // Once registered, a model's weights never change.
          if (registered.has(m.id)) expect(hash, `model ${m.id}`).toBe(registered.get(m.id));
          registered.set(m.id, hash);
        }
        const active = await activeModelId(db);
        return path.resolve(home, 'models', (await listModels(db)).find((m) => m.id === active)!.file);
      } finally {
        await db.destroy();
      }
    };
    await record();

    const random = createRandom(SEED);
    for (let i = 0; i < KILLS; i++) {
      const kill = await trainAndKill(home, [...TINY, '--from-scratch', '--epochs', '8', '--steps', '3'], random() * 2500);
      // The test is about kills mid-training: one that missed the run would prove nothing, so it fails.
      expect(kill.duringTraining, `kill ${i + 1} landed during training`).toBe(true);
      const active = await record();
      expect(existsSync(active)).toBe(true);
      const loaded = await loadModelFile(active); // a whole file, not a torn one
      loaded.model.dispose();
      // Resume what was interrupted (if a checkpoint was written), and kill that too, half the time.
      if (random() < 0.5) await trainAndKill(home, ['--resume'], 1000 + random() * 3000);
      else await runCli(home, ['train', '--resume']);
      await record();
    }
    // A clean run still finishes and registers after all that.
    const { json } = await runCliJson<{ models: unknown[] }>(home, ['models']);
    const before = json.models.length;
    expect((await runCli(home, ['train', ...TINY, '--from-scratch', '--epochs', '1', '--steps', '2'])).code).toBe(0);
    expect((await runCliJson<{ models: unknown[] }>(home, ['models'])).json.models).toHaveLength(before + 1);
    await record();
  }, 300_000);
});
