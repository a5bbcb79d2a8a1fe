import { describe, expect, it } from 'vitest';
import { summarizeRounds, type BenchReport, type BenchRound } from '../../src/bench/run-bench.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

function timing(trainStepSeconds: number | null, predictMs: number | null) {
  return { threads: 2, trainStepSeconds, trainSecondsPerSlice: null, batchSize: 4, predictMs };
}

function emptyReport(withReference: boolean): BenchReport {
  return {
    backend: 'wasm', presets: {}, importSlicesPerSecond: null, ratios: {}, editing: {}, notes: [],
    reference: withReference ? { torch: '1.13', threads: 2, presets: {} } : null,
  };
}

describe('brainseg bench rounds', () => {
  it('reports medians, and the median of each round’s own ratio', () => {
    // The machine slows down in round 2: both sides take longer, and the ratio of that round stays 2.
    const rounds: BenchRound[] = [
      { mine: { fast: timing(0.6, 30) }, theirs: { fast: { trainStepSeconds: 0.4, predictMs: 30 } } },
      { mine: { fast: timing(1.2, 60) }, theirs: { fast: { trainStepSeconds: 0.6, predictMs: 40 } } },
      { mine: { fast: timing(0.7, 33) }, theirs: { fast: { trainStepSeconds: 0.35, predictMs: 30 } } },
    ];
    const report = emptyReport(true);
    summarizeRounds(report, ['fast'], rounds);
    expect(report.presets.fast!.trainStepSeconds).toBe(0.7);
    expect(report.presets.fast!.trainSecondsPerSlice).toBeCloseTo(0.175);
    expect(report.presets.fast!.predictMs).toBe(33);
    expect(report.reference!.presets.fast!.trainStepSeconds).toBe(0.4);
    // Per-round ratios 1.5, 2, 2 → 2; the ratio of the medians would say 0.7 / 0.4 = 1.75.
    expect(report.ratios.fast!.train).toBe(2);
    expect(report.ratios.fast!.predict).toBeCloseTo(1.1); // 1, 1.5, 1.1
  });

  it('keeps a failed preset as failed instead of a median of what remains', () => {
    const report = emptyReport(false);
    summarizeRounds(report, ['full'], [{ mine: { full: timing(null, null) }, theirs: null }, { mine: { full: timing(9, 400) }, theirs: null }]);
    expect(report.presets.full!.trainStepSeconds).toBeNull();
    expect(report.ratios.full).toBeUndefined();
  });

  it('refuses zero rounds', async () => {
    const result = await runCli(tempDir(), ['bench', '--rounds', '0', '--no-torch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--rounds/);
  });
});
