// Which MR sequence a series is, from what the scanner wrote. Names come first (technologists name series for
// readers: "AX T2 FLAIR", "t1_mprage_sag_p2_iso", "T1W_3D_TFE +C"), the acquisition parameters second (an inversion
// time near 2.5 s is a FLAIR whatever it is called; a short TR and TE is T1-weighted). Contrast decides T1 versus
// T1c: words in the names ("+C", "post", "Gd"), then the contrast attributes. The reason names the deciding tag.
import type { SequenceKind } from '../volume-format.js';
import type { AcquisitionText } from './dicom-header.js';

export interface Classification {
  kind: SequenceKind;
  reason: string;
}

const NOT_LETTER_BEFORE = '(?<![a-z])';
const NOT_LETTER_AFTER = '(?![a-z])';

// FLAIR: GE/Philips "FLAIR", Siemens "tirm" (turbo inversion recovery magnitude) and "dark-fluid".
const FLAIR_WORDS = /(flair|tirm|dark[-_ ]?fluid|(?<![a-z])ir[-_ ]?fse(?![a-z]))/i;
// T1-weighted: "T1", Siemens MPRAGE, FLASH (fl2d/fl3d), VIBE; GE SPGR/FSPGR/BRAVO/LAVA; Philips T1W/TFE.
const T1_WORDS = /((?<![a-z0-9])t1(?![0-9])|mp[-_ ]?rage|(?<![a-z])spgr|bravo|(?<![a-z])lava|(?<![a-z0-9])tfe(?![a-z])|(?<![a-z])fl[23]d|flash|vibe|(?<![a-z])t1w)/i;
const T2_WORDS = /((?<![a-z0-9])t2(?![0-9*])|(?<![a-z])t2w)/i;
// After contrast: "+C", "C+", "post", "Gd", "gad", "contrast", "CE" (contrast enhanced), "+Gd", "MPRAGE_POST".
const POST_WORDS = new RegExp(
  `(\\+\\s*c${NOT_LETTER_AFTER}|${NOT_LETTER_BEFORE}c\\s*\\+|${NOT_LETTER_BEFORE}post${NOT_LETTER_AFTER}|${NOT_LETTER_BEFORE}gd${NOT_LETTER_AFTER}|\\+\\s*gd|gad|contrast|${NOT_LETTER_BEFORE}ce${NOT_LETTER_AFTER}|${NOT_LETTER_BEFORE}w/?\\s*c${NOT_LETTER_AFTER})`,
  'i',
);
const PRE_WORDS = new RegExp(`(${NOT_LETTER_BEFORE}pre${NOT_LETTER_AFTER}|pre[-_ ]?contrast|${NOT_LETTER_BEFORE}non[-_ ]?con|${NOT_LETTER_BEFORE}w/?o\\s*c${NOT_LETTER_AFTER})`, 'i');

type NamedText = [tag: string, value: string];

function namesOf(a: AcquisitionText): NamedText[] {
  return ([
    ['SeriesDescription', a.seriesDescription],
    ['ProtocolName', a.protocolName],
    ['SequenceName', a.sequenceName],
  ] as NamedText[]).filter(([, value]) => value !== '');
}

function firstMatch(names: NamedText[], pattern: RegExp): NamedText | null {
  return names.find(([, value]) => pattern.test(value)) ?? null;
}

const quoted = ([tag, value]: NamedText) => `${tag} "${value}"`;

/** Whether a T1 series was acquired after contrast, and what said so. */
function contrastOf(a: AcquisitionText, names: NamedText[]): { post: boolean; reason: string } {
  const pre = firstMatch(names, PRE_WORDS);
  const post = firstMatch(names, POST_WORDS);
  // A name beats the attributes: some scanners copy ContrastBolusAgent into every series of the exam.
  // In one name "pre" wins ("T1 pre-contrast" says "contrast" too).
  if (post && (!pre || names.indexOf(post) < names.indexOf(pre))) return { post: true, reason: quoted(post) };
  if (pre) return { post: false, reason: quoted(pre) };
  if (a.contrastAdministered === 'YES') return { post: true, reason: 'ContrastBolusAgentAdministered YES' };
  if (a.contrastAdministered === 'NO') return { post: false, reason: 'ContrastBolusAgentAdministered NO' };
  if (a.contrastBolusAgent && !/^(none|no|n\/a)$/i.test(a.contrastBolusAgent)) {
    return { post: true, reason: `ContrastBolusAgent "${a.contrastBolusAgent}"` };
  }
  if (a.contrastBolusIngredient) return { post: true, reason: `ContrastBolusIngredient "${a.contrastBolusIngredient}"` };
  if (a.contrastBolusRoute) return { post: true, reason: `ContrastBolusRoute "${a.contrastBolusRoute}"` };
  if (a.contrastBolusVolume !== null && a.contrastBolusVolume > 0) return { post: true, reason: `ContrastBolusVolume ${a.contrastBolusVolume} ml` };
  return { post: false, reason: 'no contrast named' };
}

function t1OrT1c(a: AcquisitionText, names: NamedText[], why: string): Classification {
  const contrast = contrastOf(a, names);
  return contrast.post
    ? { kind: 't1c', reason: `${why}; post-contrast: ${contrast.reason}` }
    : { kind: 't1', reason: contrast.reason === 'no contrast named' ? `${why}; no contrast named` : `${why}; pre-contrast: ${contrast.reason}` };
}

/** Classifies a series from one of its images' acquisition attributes. */
export function classifySeries(a: AcquisitionText): Classification {
  const names = namesOf(a);
  const flair = firstMatch(names, FLAIR_WORDS);
  const t1 = firstMatch(names, T1_WORDS);
  // GE's "T1 FLAIR" is T1-weighted (an inversion near 800 ms to null CSF on a T1), not a T2 FLAIR.
  const t1Flair = flair !== null && T1_WORDS.test(flair[1]) && !(a.inversionTime !== null && a.inversionTime >= 1500);
  if (flair && !t1Flair) return { kind: 'flair', reason: quoted(flair) };
  const t2 = firstMatch(names, T2_WORDS);
  // "T1" and "T2" both named (a T1/T2 map, "T2 after T1"): the first name that says one of them wins.
  if (t1 && (!t2 || names.indexOf(t1) <= names.indexOf(t2))) return t1OrT1c(a, names, quoted(t1));
  if (t2) return { kind: 't2', reason: quoted(t2) };

  const ti = a.inversionTime;
  const tr = a.repetitionTime;
  const te = a.echoTime;
  const ir = /IR/.test(a.scanningSequence);
  if (ti !== null && ti >= 1500) return { kind: 'flair', reason: `InversionTime ${ti} ms` };
  // MPRAGE: a gradient echo with a ~1 s inversion (ScanningSequence GR\IR).
  if (ti !== null && ti >= 600 && ti < 1500 && /GR/.test(a.scanningSequence)) {
    return t1OrT1c(a, names, `InversionTime ${ti} ms with ScanningSequence "${a.scanningSequence}"`);
  }
  if (tr !== null && te !== null && tr < 1000 && te < 30 && !(ir && ti !== null && ti < 300)) {
    return t1OrT1c(a, names, `RepetitionTime ${tr} ms and EchoTime ${te} ms`);
  }
  if (tr !== null && te !== null && tr >= 2000 && te >= 70) return { kind: 't2', reason: `RepetitionTime ${tr} ms and EchoTime ${te} ms` };
  const said = names.length > 0 ? names.map(quoted).join(', ') : 'no description';
  return { kind: 'other', reason: `not recognised (${said})` };
}
