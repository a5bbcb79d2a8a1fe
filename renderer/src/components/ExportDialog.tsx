import { useState } from 'react';
import { EXPORT_FORMATS, type ExportFormatName } from '../../../src/contract/index.js';
import { EXPORT_FORMAT_LABELS } from '../logic/import-export.js';
import type { ExportChoice } from '../state/use-export.js';
import { Dialog } from './Dialog.js';

const FORMAT_HINTS: Record<ExportFormatName, string> = {
  dataset: 'a folder per patient with its TIFF slices and masks, as the LGG dataset is laid out',
  nifti: 'one label volume per patient (<case>_seg.nii.gz), on the grid of the scan it was imported from',
  'dicom-seg': 'one DICOM Segmentation object per patient (<case>_seg.dcm)',
};

interface Props {
  path: string;
  initial: ExportChoice;
  onExport(choice: ExportChoice): void;
  onCancel(): void;
}

/** Where the masks go and how: the format, and whether the active model's predictions go instead of the masks. */
export function ExportDialog({ path, initial, onExport, onCancel }: Props) {
  const [format, setFormat] = useState(initial.format);
  const [predictions, setPredictions] = useState(initial.predictions);
  return (
    <Dialog label="Export" onCancel={onCancel}>
      <form className="export-dialog" onSubmit={(e) => { e.preventDefault(); onExport({ format, predictions: predictions && format !== 'dataset' }); }}>
        <h2>Export to {path}</h2>
        <label>Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormatName)} aria-label="Export format">
            {EXPORT_FORMATS.map((f) => <option key={f} value={f}>{EXPORT_FORMAT_LABELS[f]}</option>)}
          </select>
        </label>
        <p className="hint">{FORMAT_HINTS[format]}</p>
        <label title={format === 'dataset' ? 'Predictions go out as label volumes: NIfTI or DICOM-SEG' : 'The active model\'s predictions instead of the current masks'}>
          <input type="checkbox" checked={predictions && format !== 'dataset'} disabled={format === 'dataset'} onChange={(e) => setPredictions(e.target.checked)} /> Predictions instead of masks
        </label>
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" className="primary">Export</button>
        </div>
      </form>
    </Dialog>
  );
}
