// Number and text formatting shared by the figure blocks: one way to print a Dice, a time, a size.

/** A Dice or a share at 3 decimals ("0.847"); — when the card has none. */
export const dice = (v) => (v === null || v === undefined ? '—' : v.toFixed(3));

/** Whole minutes from seconds. */
export const minutes = (seconds) => Math.round((seconds ?? 0) / 60);

/** Megabytes at one decimal ("7.8 MB"). */
export const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The date part of an ISO time stamp. */
export const day = (iso) => (iso ? iso.slice(0, 10) : 'an unrecorded date');

/** "one", "two"… for small counts in sentences; digits above ten. */
export const word = (n) => ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][n] ?? String(n);

/** A case id without its date ("TCGA_CS_4941_19960909" → "CS_4941"), as the README's tables shorten them. */
export const shortCase = (id) => id.replace(/^TCGA_/, '').replace(/_\d{8}$/, '');

/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Mean of numbers. */
export const mean = (values) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Words wrapped into lines of at most `width` characters (the docs keep prose lines ≤ 120; blocks inside a list
 * item lose their indentation to it, so they wrap shorter).
 */
export function wrap(text, width = 116) {
  const lines = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
