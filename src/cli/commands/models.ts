import { listModels, setActiveModel } from '../../catalog/models.js';
import { formatRecipe } from '../../contract/training-presets.js';
import { CliError } from '../cli-error.js';
import { printJson, withCatalog, type CommandContext } from '../context.js';
import { parseCommandArgs, parsePositiveInt } from '../parse.js';
import { formatTable } from './info.js';

export const usage = 'brainseg models [--json] [--activate ID]   list model versions; activate (roll back to) one';

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('models', context.args, { json: { type: 'boolean' }, activate: { type: 'string' } });
  if (positionals.length) throw new CliError(`usage: ${usage}`, 2);
  return withCatalog(context, async (db) => {
    if (values.activate) {
      const id = parsePositiveInt('--activate', values.activate);
      try {
        await setActiveModel(db, id);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      if (!values.json) context.stdout.write(`Model ${id} is now active.\n`);
    }
    const models = (await listModels(db)).map((m) => ({
      id: m.id, parent: m.parentId, preset: m.preset, valDice: m.valDice, status: m.status, active: m.active,
      backend: m.backend, createdAt: m.createdAt, config: m.config, metrics: m.metrics, origin: m.origin, card: m.card,
    }));
    if (values.json) printJson(context, { models });
    else if (!values.activate) {
      if (models.length === 0) context.stdout.write('No models yet. Train one with: brainseg train\n');
      else {
        const rows = models.map((m) => [
          `${m.active ? '*' : ' '}${m.id}`, m.parent === null ? '-' : String(m.parent), m.origin, m.preset,
          m.valDice === null ? 'n/a' : m.valDice.toFixed(3), m.status, m.backend, m.createdAt.slice(0, 19).replace('T', ' '), formatRecipe(m.config),
        ]);
        const header = ['id', 'parent', 'origin', 'preset', 'valDice', 'status', 'backend', 'created', 'recipe'];
        context.stdout.write(formatTable(header, rows));
        context.stdout.write('* active\n');
      }
    }
    return 0;
  });
}
