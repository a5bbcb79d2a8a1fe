// Which sequence a NIfTI file holds, from its name: BraTS 2018–2021 (`_flair`, `_t1`, `_t1ce`, `_t2`, `_seg`),
// BraTS 2023 (`-t2f`, `-t1n`, `-t1c`, `-t2w`, `-seg`), BIDS (`_T1w`, `_FLAIR`, `ce-gd_T1w`) and the usual
// spellings. The stem is cut into tokens at every non-alphanumeric character and read from its end, so the
// sequence suffix wins over a case id that happens to contain a token (`t1_study_flair` is a FLAIR).
import type { SeriesRole } from '../volume-format.js';

type Role = Exclude<SeriesRole, 'skip'>;

const ONE_TOKEN: Record<string, Role> = {
  flair: 'flair', t2f: 'flair', t2flair: 'flair',
  t1c: 't1c', t1ce: 't1c', t1gd: 't1c', t1post: 't1c', t1gad: 't1c',
  t1: 't1', t1w: 't1', t1n: 't1', t1pre: 't1',
  t2: 't2', t2w: 't2',
  seg: 'label', label: 'label', labels: 'label', mask: 'label', dseg: 'label',
};

const TWO_TOKENS: Record<string, Role> = {
  't2 flair': 'flair',
  'ce t1': 't1c', 'ce t1w': 't1c', 't1 ce': 't1c', 't1 gd': 't1c', 't1 post': 't1c', 't1 c': 't1c',
  // A skull-stripping mask is not a lesion label.
  'brain mask': 'other',
};

// Tokens that turn a T1 into a post-contrast T1 wherever they stand (BIDS `ce-gadolinium_T1w`).
// Not "post": `post-op_t1` is a T1 after surgery, not after contrast.
const CONTRAST = new Set(['ce', 'gd', 'gad', 'gadolinium', 'postcontrast', 'contrast']);

export interface NameRole {
  role: Role;
  reason: string;
}

export const NOT_RECOGNISED = 'name not recognised: set it with --sequence flair=FILE';

/** The role a file's stem (name without .nii/.nii.gz) suggests. */
export function roleFromName(stem: string): NameRole {
  const tokens = stem.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== '');
  for (let p = tokens.length - 1; p >= 0; p--) {
    const pair = p > 0 ? `${tokens[p - 1]} ${tokens[p]}` : '';
    const found = (pair && TWO_TOKENS[pair] !== undefined ? { role: TWO_TOKENS[pair]!, text: pair } : undefined)
      ?? (ONE_TOKEN[tokens[p]!] !== undefined ? { role: ONE_TOKEN[tokens[p]!]!, text: tokens[p]! } : undefined);
    if (!found) continue;
    const where = p === tokens.length - 1 ? 'ends with' : 'has';
    const words = found.text.replace(' ', '_');
    if (found.role === 't1') {
      const marker = tokens.find((t) => CONTRAST.has(t));
      if (marker) return { role: 't1c', reason: `file name ${where} "${words}" and has "${marker}" (contrast)` };
    }
    if (found.role === 'other') return { role: 'other', reason: `file name ${where} "${words}": not lesion labels` };
    return { role: found.role, reason: `file name ${where} "${words}"` };
  }
  return { role: 'other', reason: NOT_RECOGNISED };
}
