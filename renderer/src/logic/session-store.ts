// What this tab keeps across a reload (sessionStorage: it survives F5 and a crash-reload, not a new tab). Every value
// is checked on the way back in, so a stale or hand-edited entry falls back to the default.

/** The stored value under `key`, if it passes `valid`; else the fallback. */
export function readStored<T>(key: string, fallback: T, valid: (value: unknown) => value is T): T {
  try {
    const text = window.sessionStorage.getItem(`brainseg.${key}`);
    if (text === null) return fallback;
    const value: unknown = JSON.parse(text);
    return valid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    window.sessionStorage.setItem(`brainseg.${key}`, JSON.stringify(value));
  } catch {
    // Storage full or refused: the setting is simply not kept.
  }
}

export const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');
