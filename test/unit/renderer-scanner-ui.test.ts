// The viewer's logic for scanner-format patients: window/level and pixel values in the source's units, where the
// orientation letters go, and what the import and export dialogs send and say.
import { describe, expect, it } from 'vitest';
import type { ExportReport, ImportReport, PatientScanInfo } from '../../src/contract/index.js';
import { dragWindowLevel, FULL_RANGE, windowLookup } from '../../renderer/src/logic/display.js';
import { exportMessage, importMessage, overridesOf, parseLabels } from '../../renderer/src/logic/import-export.js';
import { edgeAnchors } from '../../renderer/src/logic/orientation.js';
import {
  channelUnits, formatUnits, fromSource, pixelValueText, toSource, unitDecimals, windowLimits, windowToSource, windowWidthFromSource,
} from '../../renderer/src/logic/scan-units.js';

// A FLAIR stored as 2·v + 100 (0–255 → 100–610), a T1 in 0–1 (float), the pre-contrast filled with FLAIR.
const scan: PatientScanInfo = {
  format: 'nifti',
  edges: { left: 'R', right: 'L', top: 'A', bottom: 'P' },
  channels: [
    { channel: 't1', from: 'flair', low: 100, high: 610 },
    { channel: 'flair', from: 'flair', low: 100, high: 610 },
    { channel: 't1c', from: 't1c', low: 0, high: 1 },
  ],
  warnings: ['no T1 pre-contrast: its channel is filled with FLAIR'],
};

describe('window/level in source units', () => {
  it('picks the shown channel\'s map; LGG patients and the RGB composite stay 8-bit', () => {
    expect(channelUnits(scan, 'flair')).toEqual({ low: 100, high: 610, from: 'flair' });
    expect(channelUnits(scan, 'pre')).toEqual({ low: 100, high: 610, from: 'flair' });
    expect(channelUnits(scan, 'post')).toEqual({ low: 0, high: 1, from: 't1c' });
    expect(channelUnits(scan, 'rgb')).toBeNull();
    expect(channelUnits(null, 'flair')).toBeNull();
    // A degenerate map (a constant volume) is not a unit: shown as 8-bit rather than divided by zero.
    expect(channelUnits({ ...scan, channels: [{ channel: 'flair', from: 'flair', low: 5, high: 5 }] }, 'flair')).toBeNull();
  });

  it('converts values, levels and widths both ways through low/high', () => {
    const u = channelUnits(scan, 'flair')!;
    expect(toSource(0, u)).toBe(100);
    expect(toSource(255, u)).toBe(610);
    expect(toSource(128, u)).toBe(356);
    expect(fromSource(356, u)).toBeCloseTo(128, 12);
    // The default window, 256 wide about 128: 512 source units wide about 356.
    expect(windowToSource(FULL_RANGE, u)).toEqual({ window: 512, level: 356 });
    expect(windowWidthFromSource(512, u)).toBeCloseTo(256, 12);
    // A typed source value is kept exactly (a fractional 8-bit level), so it reads back as typed.
    const typed = { window: windowWidthFromSource(300, u), level: fromSource(333, u) };
    expect(formatUnits(windowToSource(typed, u).level, u)).toBe('333');
    expect(formatUnits(windowToSource(typed, u).window, u)).toBe('300');
    // ... and the lookup table draws it: the level's own value is mid-grey.
    expect(windowLookup(typed)[Math.round(typed.level)]).toBeGreaterThanOrEqual(126);
    expect(windowLookup(typed)[Math.round(typed.level)]).toBeLessThanOrEqual(129);
  });

  it('is the identity without units, so LGG patients behave exactly as before', () => {
    expect(windowToSource(FULL_RANGE, null)).toBe(FULL_RANGE);
    expect(fromSource(42, null)).toBe(42);
    expect(toSource(42, null)).toBe(42);
    expect(windowWidthFromSource(60, null)).toBe(60);
    expect(windowLimits(null)).toEqual({ window: [1, 512], level: [0, 255], step: 1 });
    expect(pixelValueText([17], null)).toBe('17');
    expect(pixelValueText([1, 2, 3], null)).toBe('1 / 2 / 3');
  });

  it('limits the controls to the 8-bit ranges, in source units', () => {
    expect(windowLimits(channelUnits(scan, 'flair'))).toEqual({ window: [2, 1024], level: [100, 610], step: 2 });
  });

  it('shows enough decimals to tell 8-bit steps apart, and no more', () => {
    const flair = channelUnits(scan, 'flair')!;
    const unit = channelUnits(scan, 'post')!;
    expect(unitDecimals(flair)).toBe(0);
    expect(unitDecimals(unit)).toBe(3);
    expect(pixelValueText([255], flair)).toBe('610');
    expect(pixelValueText([51], unit)).toBe('0.2');
    expect(pixelValueText([1], unit)).toBe('0.004');
    expect(formatUnits(-0.0001, unit)).toBe('0');
    // Right-drag still works on the 8-bit window: shown in units afterwards.
    expect(windowToSource(dragWindowLevel(FULL_RANGE, -56, 10), flair)).toEqual({ window: 400, level: 376 });
  });
});

describe('orientation letters', () => {
  it('sit at the middle of each edge of the image when it is all in view', () => {
    expect(edgeAnchors({ x: 100, y: 0, width: 400, height: 400 }, { width: 600, height: 400 })).toEqual({
      left: { x: 100, y: 200 }, right: { x: 500, y: 200 }, top: { x: 300, y: 0 }, bottom: { x: 300, y: 400 },
    });
  });

  it('stay at the viewer\'s edges, in the middle of the visible part, when zoomed or panned', () => {
    // Zoomed 4× and panned right: the image covers the viewer's right part and overflows it elsewhere.
    expect(edgeAnchors({ x: 200, y: -800, width: 1600, height: 1600 }, { width: 600, height: 400 })).toEqual({
      left: { x: 200, y: 200 }, right: { x: 600, y: 200 }, top: { x: 400, y: 0 }, bottom: { x: 400, y: 400 },
    });
  });

  it('are not drawn for an image panned out of view', () => {
    expect(edgeAnchors({ x: 700, y: 0, width: 400, height: 400 }, { width: 600, height: 400 })).toBeNull();
  });
});

describe('the import dialog', () => {
  it('reads the lesion labels: empty means any non-zero value', () => {
    expect(parseLabels('')).toEqual({ labels: undefined });
    expect(parseLabels('  ')).toEqual({ labels: undefined });
    expect(parseLabels('1,2,4')).toEqual({ labels: [1, 2, 4] });
    expect(parseLabels('1 2, 4;4')).toEqual({ labels: [1, 2, 4] });
    expect(parseLabels('1,two')).toEqual({ error: expect.stringMatching(/"two" is not a whole number/) });
    expect(parseLabels('1.5')).toHaveProperty('error');
  });

  it('sends the roles the user chose as overrides', () => {
    expect(overridesOf({})).toEqual([]);
    expect(overridesOf({ '/d/a.nii.gz': 't1c', '1.2.3': 'skip' })).toEqual([{ key: '/d/a.nii.gz', role: 't1c' }, { key: '1.2.3', role: 'skip' }]);
  });

  const report: ImportReport = {
    patients: 1, slices: 20, masks: 20, lesionSlices: 6, skipped: [], unchanged: 0, changed: [], seconds: 1.23, caseIds: ['P1'], series: [], warnings: [],
  };

  it('says what was imported, then the warnings and the skipped files', () => {
    expect(importMessage(report)).toEqual({ text: 'Imported 1 new patients, 20 slices (6 with lesions, 0 unchanged) in 1.2 s.', kind: 'success' });
    const told = importMessage({
      ...report,
      warnings: [{ caseId: 'P1', message: 'no T1 pre-contrast: its channel is filled with FLAIR' }],
      skipped: [{ file: '/d/P1/notes.txt', reason: 'not an image' }],
    });
    expect(told.kind).toBe('info');
    expect(told.text).toBe('Imported 1 new patients, 20 slices (6 with lesions, 0 unchanged) in 1.2 s · ⚠ P1: no T1 pre-contrast: its channel is filled with FLAIR · 1 skipped: notes.txt (not an image).');
    const many = importMessage({ ...report, skipped: Array.from({ length: 6 }, (_, i) => ({ file: `f${i}`, reason: 'bad' })) });
    expect(many.text).toMatch(/6 skipped: f0 \(bad\); f1 \(bad\); f2 \(bad\); f3 \(bad\); and 2 more\.$/);
  });
});

describe('the export message', () => {
  const report: ExportReport = { patients: 2, slices: 40, masks: 9, skipped: [], folder: '/out', files: ['/out/A_seg.nii.gz', '/out/B_seg.nii.gz'] };
  it('lists the files written and what was skipped with its reason', () => {
    expect(exportMessage(report, false)).toEqual({ text: 'Exported 2 patients (9 masks) to /out · wrote A_seg.nii.gz; B_seg.nii.gz.', kind: 'success' });
    const skipped = exportMessage({ ...report, patients: 1, files: ['/out/A_prediction.dcm'], skipped: [{ file: 'B', reason: 'not exported: no DICOM source' }] }, true);
    expect(skipped).toEqual({ text: 'Exported 1 patients (9 predictions) to /out · wrote A_prediction.dcm · 1 skipped: B (not exported: no DICOM source).', kind: 'info' });
    expect(exportMessage({ ...report, files: [] }, false).text).toBe('Exported 2 patients (9 masks) to /out.');
  });
});
