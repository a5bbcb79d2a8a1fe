import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeLocation } from '../../catalog/postgres-engine.js';
import { isLoopback, startServer } from '../../server/serve.js';
import { CliError } from '../cli-error.js';
import { withCatalog, type CommandContext } from '../context.js';
import { untilStopped } from '../until-stopped.js';
import { parseCommandArgs, parsePositiveInt } from '../parse.js';

export const usage = 'brainseg serve [--port N] [--host 127.0.0.1]   serve the API (and UI) to a browser on this machine';

const RENDERER_DIR = fileURLToPath(new URL('../../../renderer/', import.meta.url));

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('serve', context.args, { port: { type: 'string' }, host: { type: 'string' } });
  if (positionals.length) throw new CliError(`usage: ${usage}`, 2);
  const host = values.host ?? '127.0.0.1';
  const port = values.port ? parsePositiveInt('--port', values.port) : 0;
  if (!isLoopback(host)) context.stderr.write(`warning: serving on ${host}, reachable from other machines; anyone with the token can edit this catalog\n`);
  return withCatalog(context, async (db) => {
    const server = await startServer(db, { home: context.home, host, port, staticDir: existsSync(RENDERER_DIR) ? RENDERER_DIR : null }).catch((error: Error) => {
      throw new CliError(`cannot serve on ${host}:${port}: ${error.message}`);
    });
    context.stdout.write(`BrainSeg Studio is serving ${describeLocation(context.home.catalog)}\nOpen: ${server.url}\n`);
    await untilStopped(() => server.close(), context.stderr);
    return 0;
  });
}
