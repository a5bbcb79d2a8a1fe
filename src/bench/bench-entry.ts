// Runs one (backend, preset) timing in its own process, so an out-of-memory crash in one cannot spoil the rest.
import type { BackendChoice } from '../ml/backends/backend-choice.js';
import type { PresetName } from '../ml/config.js';
import { timePreset } from './unet-bench.js';

const [backend, preset, steps] = process.argv.slice(2) as [BackendChoice, PresetName, string];
timePreset(backend, preset, Number(steps)).then(
  (timing) => process.send?.({ ok: true, timing }, () => process.exit(0)),
  (error: Error) => process.send?.({ ok: false, error: error.message }, () => process.exit(0)),
);
