import { useEffect, useState } from 'react';
import type { PatientSummary } from '../../../src/contract/index.js';

/** The patient's pixel size and slice spacing (mm), typed in by the radiologist; saved in the catalog. */
export function SpacingEditor({ spacing, fromHeader = false, onSave }: { spacing: PatientSummary['spacing']; fromHeader?: boolean; onSave(pixelMm: number, sliceMm: number): void }) {
  const [pixel, setPixel] = useState(spacing ? String(spacing.pixelMm) : '');
  const [slice, setSlice] = useState(spacing ? String(spacing.sliceMm) : '');
  useEffect(() => {
    setPixel(spacing ? String(spacing.pixelMm) : '');
    setSlice(spacing ? String(spacing.sliceMm) : '');
  }, [spacing]);
  const p = Number(pixel);
  const s = Number(slice);
  const valid = p > 0 && p < 100 && s > 0 && s < 100;
  return (
    <form className={fromHeader ? 'spacing from-header' : 'spacing'} onSubmit={(e) => { e.preventDefault(); if (valid) onSave(p, s); }} title={fromHeader ? 'Read from the scan\'s header' : 'These TIFFs carry no spacing: enter it from the scan\'s DICOM header to get mm² and mL'}>
      {'pixel '}
      <input value={pixel} onChange={(e) => setPixel(e.target.value)} inputMode="decimal" placeholder="?" aria-label="Pixel size (mm)" /> mm · slice
      <input value={slice} onChange={(e) => setSlice(e.target.value)} inputMode="decimal" placeholder="?" aria-label="Slice spacing (mm)" /> mm
      <button type="submit" disabled={!valid}>Set</button>
    </form>
  );
}
