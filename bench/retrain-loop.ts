#!/usr/bin/env node
// The retrain loop as a radiologist lives it, timed: a fresh data folder (the bundled model active), the sample
// patients imported, three lesion slices of a training patient corrected (grown by 10 px, or cut to nothing with
// --cut), then the default "Retrain on edits". Reports the retrain's wall-clock seconds (process start to model
// registered), whether it was accepted, and how far its prediction on the edited slices moved toward the edits.
// Runs the built CLI (npm run build first).
//
// Usage: node dist/bench/retrain-loop.js [--data DIR] [--cut] [--minutes M]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCatalog } from '../src/catalog/db.js';
import { readCurrentMask } from '../src/catalog/masks.js';
import { findPatientByCaseId } from '../src/catalog/patients.js';
import { listSlices } from '../src/catalog/slices.js';
import { dilateMask } from '../src/editing/region.js';
import { writeMaskFile } from '../src/imaging/mask-file.js';
import { agreementWithEdits } from '../src/services/edit-agreement.js';
import { REPO as repo } from './sample-data.js';

const args = process.argv.slice(2);
const option = (name: string): string | null => (args.includes(name) ? args[args.indexOf(name) + 1] ?? null : null);
const data = path.resolve(option('--data') ?? path.join(repo, '../shared/data/lgg-mri/kaggle_3m'));
const cut = args.includes('--cut');
const work = mkdtempSync(path.join(tmpdir(), 'brainseg-retrain-bench-'));
const home = path.join(work, 'home');
const env = { ...process.env, BRAINSEG_BUNDLED_MODEL: process.env.BRAINSEG_BUNDLED_MODEL ?? '' };
const cli = (...command: string[]): string => execFileSync(process.execPath, [path.join(repo, 'bin/brainseg'), '--home', home, ...command], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

try {
  const dataset = path.join(work, 'dataset');
  execFileSync('mkdir', [dataset]);
  for (const name of readdirSync(data)) symlinkSync(path.join(data, name), path.join(dataset, name));
  cli('import', dataset, '--json');
  const info = JSON.parse(cli('info', '--json'));
  const caseId = (info.patients as { id: string; split: string; lesionSlices: number }[]).find((p) => p.split === 'train' && p.lesionSlices >= 6)!.id;

  let db = await openCatalog(path.join(home, 'catalog.sqlite'));
  const patient = await findPatientByCaseId(db, caseId);
  if (!patient) throw new Error(`patient ${caseId} was not imported`);
  const lesionSlices = (await listSlices(db, patient.id)).filter((s) => s.hasLesion);
  // Three slices from the middle of the lesion, where a model has the most to say.
  const middle = Math.floor(lesionSlices.length / 2);
  const edited: { slice: Awaited<ReturnType<typeof listSlices>>[number]; mask: Uint8Array }[] = [];
  for (const s of lesionSlices.slice(middle - 1, middle + 2)) {
    const mask = (await readCurrentMask(db, s.id, s.width, s.height)).data;
    edited.push({ slice: s, mask: cut ? new Uint8Array(mask.length) : dilateMask(mask, s.width, s.height, 10) });
  }
  await db.destroy();
  for (const { slice, mask } of edited) {
    const file = path.join(work, `${slice.number}.png`);
    await writeMaskFile({ width: slice.width, height: slice.height, data: mask }, file, 'png');
    cli('masks', caseId, String(slice.number), '--from', file);
  }

  cli('predict', '--patient', caseId, '--model', '1');
  const minutes = option('--minutes');
  const started = performance.now();
  const lines = cli('train', '--json', ...(minutes ? ['--minutes', minutes] : [])).trim().split('\n');
  const seconds = (performance.now() - started) / 1000;
  const done = JSON.parse(lines[lines.length - 1]!) as { modelId: number; accepted: boolean; valDice: number | null; baselineValDice: number | null };
  const progress = lines.map((l) => JSON.parse(l) as { type: string; phase?: string; step?: number }).filter((m) => m.type === 'progress' && m.phase === 'training');
  cli('predict', '--patient', caseId, '--model', String(done.modelId));

  db = await openCatalog(path.join(home, 'catalog.sqlite'));
  const agreement = async (modelId: number) => {
    const { soft, hard } = await agreementWithEdits(db, modelId, edited.map(({ slice, mask }) => ({ sliceId: slice.id, mask })));
    return { softDice: soft, dice: hard };
  };
  const report = {
    edit: cut ? 'three lesion slices cut to nothing' : 'three lesion slices grown by 10 px',
    patient: caseId, slices: edited.map((e) => e.slice.number),
    retrainSeconds: Number(seconds.toFixed(1)), trainingSteps: progress.at(-1)?.step ?? null,
    accepted: done.accepted, valDice: done.valDice, baselineValDice: done.baselineValDice,
    parent: await agreement(1), retrained: await agreement(done.modelId),
  };
  await db.destroy();
  console.log(JSON.stringify(report, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
