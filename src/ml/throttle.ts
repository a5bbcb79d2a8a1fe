/**
 * Lets an event through at most every `intervalMs`, but always lets a `force`d one through (phase changes, the
 * last step of an epoch), so a listener sees every milestone without being flooded.
 */
export function createThrottle(intervalMs: number, now: () => number = () => performance.now()) {
  let last = Number.NEGATIVE_INFINITY;
  return (force = false): boolean => {
    const t = now();
    if (!force && t - last < intervalMs) return false;
    last = t;
    return true;
  };
}

/** Seconds left, from the work done so far and the time it took; null until there is something to go by. */
export function estimateRemainingSeconds(done: number, total: number, elapsedSeconds: number): number | null {
  if (done <= 0 || elapsedSeconds <= 0) return null;
  return Math.max(0, ((total - done) * elapsedSeconds) / done);
}
