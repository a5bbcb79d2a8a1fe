// How the long-running commands (`brainseg serve`, `brainseg worker`) end: on Ctrl+C or SIGTERM they shut down in
// order, and a shutdown that hangs (a connection that never closes, a library's timer left behind) does not leave
// the process running for ever: a supervisor or a test waiting for it to exit would wait with it. Ending it then
// loses nothing: every catalog write is a transaction, committed or not there at all.

/** How long an orderly shutdown may take before the process ends anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Resolves when the process is asked to stop (SIGINT or SIGTERM), after `shutdown` has run. From the signal on, a
 * second signal, or `graceMs` without the process having exited, ends it at once: with its exit code when the
 * shutdown had finished (something else was left holding it), else with 1 and a line on `stderr` saying why.
 */
export async function untilStopped(
  shutdown: () => Promise<void>,
  stderr: { write(text: string): unknown },
  graceMs = SHUTDOWN_GRACE_MS,
): Promise<void> {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let finished = false;
  const endNow = (why: string) => {
    if (finished) process.exit(process.exitCode ?? 0);
    stderr.write(`${why}; exiting without finishing it (committed work is kept)\n`);
    process.exit(1);
  };
  process.once('SIGINT', () => endNow('asked again to stop during shutdown'));
  process.once('SIGTERM', () => endNow('asked again to stop during shutdown'));
  // Unreferenced: a process whose shutdown let go of everything exits on its own before this fires.
  setTimeout(() => endNow(`shutdown took over ${graceMs / 1000} s`), graceMs).unref();
  await shutdown();
  finished = true;
}
