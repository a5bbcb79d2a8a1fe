// Gives each series of a study its role: the user's override if there is one, else its classification; then one
// series per role, because the model reads one FLAIR, one T1 and one T1c. Among several candidates the one with the
// most slices wins (a thin 3-D acquisition over a thick 2-D one), then the highest SeriesNumber (a repeat after
// motion is usually acquired later).
import type { FoundSeries, SeriesRole, SequenceOverride } from '../volume-format.js';
import { classifySeries } from './classify-series.js';
import type { UsableSeries } from './group-series.js';

export interface SeriesChoice {
  series: UsableSeries;
  found: FoundSeries;
}

export function seriesLabelOf(s: UsableSeries): string {
  const n = s.geometry.slices.length;
  return `${[s.number, s.description].filter(Boolean).join(' ') || s.uid} (${n} ${n === 1 ? 'image' : 'images'})`;
}

function overrideFor(s: UsableSeries, overrides: readonly SequenceOverride[]): SequenceOverride | undefined {
  return overrides.find((o) => {
    const key = o.key.trim();
    return key === s.uid || (s.number !== '' && key === s.number);
  });
}

const seriesNumber = (s: UsableSeries) => Number(s.number) || 0;

export function chooseRoles(series: readonly UsableSeries[], overrides: readonly SequenceOverride[]): SeriesChoice[] {
  const choices: SeriesChoice[] = series.map((s) => {
    const override = overrideFor(s, overrides);
    const classified = override ? { kind: override.role, reason: `set by the user (${override.key})` } : classifySeries(s.header.acquisition);
    return { series: s, found: { key: s.uid, label: seriesLabelOf(s), role: classified.kind as SeriesRole, reason: classified.reason } };
  });
  const byRole = new Map<SeriesRole, SeriesChoice[]>();
  for (const c of choices) {
    if (c.found.role === 'skip' || c.found.role === 'other') continue;
    byRole.set(c.found.role, [...(byRole.get(c.found.role) ?? []), c]);
  }
  for (const [role, candidates] of byRole) {
    if (candidates.length < 2) continue;
    const byUser = (c: SeriesChoice) => (c.found.reason.startsWith('set by the user') ? 1 : 0);
    const ranked = [...candidates].sort(
      (a, b) => byUser(b) - byUser(a) ||
        b.series.geometry.slices.length - a.series.geometry.slices.length ||
        seriesNumber(b.series) - seriesNumber(a.series),
    );
    const kept = ranked[0]!;
    const rule = byUser(kept) ? 'the user chose it' : 'rule: most slices, then highest SeriesNumber';
    for (const other of ranked.slice(1)) {
      other.found = {
        ...other.found,
        role: 'skip',
        reason: `${other.found.reason}; another ${role} series is used: ${kept.found.label} (${rule})`,
      };
    }
  }
  return choices;
}
