// `brainseg serve` and `brainseg worker` end when asked, even when their shutdown hangs: a process left running
// after SIGTERM kept a test's teardown (and would keep a supervisor) waiting for minutes.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-data.js';

const MODULE = pathToFileURL(path.join(REPO_ROOT, 'dist/src/cli/until-stopped.js')).href;

/** A process that waits in `untilStopped` with the given shutdown; resolves with how it ended. */
function stopped(shutdown: string, signals: NodeJS.Signals[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  // The interval stands for the server: what keeps the process alive until its shutdown lets go of it.
  const script = `import { untilStopped } from ${JSON.stringify(MODULE)};
    const server = setInterval(() => undefined, 1000);
    const done = untilStopped(async () => { console.log('shutting down'); clearInterval(server); ${shutdown} }, process.stderr, 500);
    console.log('ready');
    await done;
    console.log('stopped');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = 0;
  let signalledAt = 0;
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    // The first signal once it waits; a second one once its shutdown is under way.
    if (sent === 0 && stdout.includes('ready')) {
      signalledAt = Date.now();
      child.kill(signals[sent++]!);
    }
    if (sent === 1 && signals.length > 1 && stdout.includes('shutting down')) child.kill(signals[sent++]!);
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - signalledAt })));
}

describe('untilStopped: how serve and worker end', () => {
  it('runs the shutdown on SIGTERM and lets the process end with its own exit code', async () => {
    const ended = await stopped('', ['SIGTERM']);
    expect(ended.stdout).toContain('shutting down');
    expect(ended.stdout).toContain('stopped');
    expect(ended.code).toBe(0);
    expect(ended.stderr).toBe('');
  });

  it('ends a process whose shutdown hangs after the grace period, with exit code 1 and why', async () => {
    const ended = await stopped('await new Promise(() => setInterval(() => undefined, 1000));', ['SIGINT']);
    expect(ended.stdout).not.toContain('stopped');
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(/shutdown took over 0\.5 s; exiting without finishing it/);
    expect(ended.ms).toBeGreaterThanOrEqual(450);
  });

  it('ends it at once on a second signal during a hung shutdown', async () => {
    const ended = await stopped('await new Promise(() => setInterval(() => undefined, 1000));', ['SIGTERM', 'SIGTERM']);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(/asked again to stop during shutdown/);
  });

  it('ends quietly with the exit code when the shutdown finished but something still holds the process', async () => {
    const ended = await stopped('setInterval(() => undefined, 1000); process.exitCode = 0;', ['SIGTERM']);
    expect(ended.stdout).toContain('stopped');
    expect(ended.code).toBe(0);
    expect(ended.stderr).toBe('');
  });
});
