import { describe, expect, it } from 'vitest';
import { assignSplits, validationTarget } from '../../src/catalog/split.js';
import { samplePatients } from '../helpers/sample-data.js';

describe('patient-level split', () => {
  it('holds out about 20% of patients, at least one once there are two', () => {
    expect([0, 1, 2, 3, 5, 10, 23, 100].map((n) => validationTarget(n))).toEqual([0, 0, 1, 1, 1, 2, 5, 20]);
  });

  it('assigns the 23 sample patients deterministically, 5 to validation', () => {
    const ids = samplePatients();
    const first = assignSplits(ids, { train: 0, validation: 0 });
    const again = assignSplits([...ids].reverse(), { train: 0, validation: 0 });
    expect([...first.entries()].sort()).toEqual([...again.entries()].sort());
    expect([...first.values()].filter((s) => s === 'validation')).toHaveLength(5);
  });

  it('only tops validation up when patients arrive one at a time', () => {
    expect(assignSplits(['A'], { train: 0, validation: 0 }).get('A')).toBe('train');
    expect(assignSplits(['B'], { train: 1, validation: 0 }).get('B')).toBe('validation');
    expect(assignSplits(['C'], { train: 1, validation: 1 }).get('C')).toBe('train');
  });
});
