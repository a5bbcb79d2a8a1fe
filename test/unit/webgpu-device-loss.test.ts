// A GPU that goes away mid-run (driver reset, eGPU unplugged) stops the run with a clear error and keeps its last
// checkpoint. Simulated on SwiftShader by destroying the device mid-epoch; its own file, since the backend is
// gone afterwards.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { importPath } from '../../src/importer/import.js';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { GpuDeviceLostError, webGpuRuntime } from '../../src/ml/backends/webgpu.js';
import { validateTrainConfig } from '../../src/ml/config.js';
import type { JobPatient } from '../../src/ml/jobs.js';
import { readCheckpointState } from '../../src/ml/model-file-header.js';
import { trainUNet } from '../../src/ml/train-loop.js';
import { runFiles } from '../../src/ml/run-files.js';
import { buildJobPatients } from '../../src/services/job-builder.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { onOneSwiftShaderThread, swiftShaderAvailable } from '../helpers/swiftshader.js';
import { tempDir } from '../helpers/temp.js';

const available = swiftShaderAvailable();

describe.skipIf(!available)('losing the GPU during training', () => {
  let patients: JobPatient[];

  beforeAll(async () => {
    await onOneSwiftShaderThread(() => selectBackend('webgpu'));
    const db = await openCatalog(':memory:');
    await importPath(db, makeSampleSubset(tempDir(), ['TCGA_CS_6665_20010817']));
    patients = (await buildJobPatients(db)).map((p) => ({ ...p, split: 'train' as const }));
    await db.destroy();
  }, 120_000);

  it('stops the run with a clear error in the next step and keeps the last checkpoint', async () => {
    const runDir = tempDir();
    const config = validateTrainConfig({ features: 4, inputSize: 32, batchSize: 2, epochs: 3, stepsPerEpoch: 2, workers: 1, seed: 3 });
    let destroyed = false;
    const run = trainUNet({ config, backend: 'webgpu', patients, runDir, initModelFile: null, resume: false }, {
      onProgress: (p) => {
        if (p.phase === 'training' && p.epoch === 2 && p.step === 1 && !destroyed) {
          destroyed = true;
          webGpuRuntime()!.device.destroy();
        }
      },
      onEpoch: () => undefined,
      isCancelled: () => false,
    });
    const failure = await run.catch((error: unknown) => error);
    expect(destroyed).toBe(true);
    expect(failure).toBeInstanceOf(GpuDeviceLostError);
    expect((failure as Error).message).toMatch(/GPU device was lost \(destroyed.*last checkpoint is kept; resume with --resume/);
    expect(existsSync(runFiles(runDir).checkpoint)).toBe(true);
    expect((await readCheckpointState(runFiles(runDir).checkpoint))?.epoch).toBe(1);
  }, 600_000);
});
