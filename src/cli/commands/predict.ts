import { findPatientByCaseId, listPatients } from '../../catalog/patients.js';
import { predictAndStore } from '../../services/prediction-pipeline.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs, parsePositiveInt } from '../parse.js';
import { TerminalProgress } from '../progress.js';
import { parseBackend } from './train.js';

export const usage = 'brainseg predict [--patient ID | --all] [--model ID] [--backend B] [--json]   store predictions';

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('predict', context.args, {
    patient: { type: 'string' }, all: { type: 'boolean' }, model: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' },
  });
  if (positionals.length || Boolean(values.patient) === Boolean(values.all)) {
    throw new CliError(`say which patients: --patient ID or --all\nusage: ${usage}`, 2);
  }
  const modelId = values.model ? parsePositiveInt('--model', values.model) : undefined;
  const backend = parseBackend(values.backend);
  return withCatalog(context, async (db) => {
    const patients = values.all ? await listPatients(db) : [await findPatientByCaseId(db, values.patient!)].filter((p) => p !== undefined);
    if (patients.length === 0) throw new CliError(values.all ? 'the catalog has no patients' : `no patient ${values.patient} in the catalog`);
    const progress = new TerminalProgress(context.stderr);
    const summary = await predictAndStore(db, context.home, { patients, modelId, backend }, (done, total) =>
      progress.update(done, total, 'slices predicted'),
    ).catch((error: Error) => {
      throw new CliError(error.message);
    });
    progress.finish();
    if (values.json) printJson(context, { model: summary.model.id, slices: summary.slices, seconds: summary.seconds });
    else context.stdout.write(`Stored predictions of model ${summary.model.id} for ${summary.slices} slices in ${summary.seconds.toFixed(1)} s.\n`);
    return 0;
  });
}
