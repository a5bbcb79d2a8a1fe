import { probeBackends, type BackendProbe } from '../../ml/backends/probe.js';
import { CliError } from '../cli-error.js';
import { printJson, type CommandContext } from '../context.js';
import { parseCommandArgs } from '../parse.js';

export const usage = 'brainseg backends [--json]         which TensorFlow.js backends load here, the GPU adapter, and what to install';

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

function describe(probe: BackendProbe, auto: boolean): string[] {
  const lines = [`${probe.name}${auto ? ' (auto picks this)' : ''}: ${probe.loads ? `loads — ${probe.detail}` : 'does not load'}`];
  if (probe.device) lines.push(`  device: ${probe.device}`);
  const a = probe.adapter;
  if (a) {
    lines.push(`  adapter: ${a.vendor || '?'} / ${a.architecture || '?'} / ${a.device || '?'}${a.description ? ` (${a.description})` : ''}, ` +
      `${a.software ? 'software' : 'hardware'}; maxBufferSize ${megabytes(a.maxBufferSize)}, maxStorageBufferBindingSize ${megabytes(a.maxStorageBufferBindingSize)}`);
  }
  if (probe.reason) lines.push(`  ${probe.loads ? 'note' : 'reason'}: ${probe.reason}`);
  if (probe.missingLibraries?.length) lines.push(`  CUDA/cuDNN libraries not found: ${probe.missingLibraries.join(', ')}`);
  if (probe.install) lines.push(`  install: ${probe.install}`);
  if (probe.kernelsNotNative) {
    lines.push(`  kernels not native on WebGPU: ${probe.kernelsNotNative.length ? probe.kernelsNotNative.join(', ') : 'none'}` +
      `${probe.customKernels?.length ? ` (ours, in WGSL: ${probe.customKernels.join(', ')})` : ''}`);
  }
  return lines;
}

/** `brainseg backends`: tries each backend here and says what it found. Needs no catalog. */
export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('backends', context.args, { json: { type: 'boolean' } });
  if (positionals.length) throw new CliError(`usage: ${usage}`, 2);
  const report = await probeBackends();
  if (values.json) {
    printJson(context, report);
    return 0;
  }
  for (const probe of report.backends) context.stdout.write(`${describe(probe, probe.name === report.auto).join('\n')}\n`);
  return 0;
}
