import { useState } from 'react';
import { SERIES_ROLES, type ImportScan, type SeriesRole } from '../../../src/contract/index.js';
import { parseLabels, ROLE_LABELS } from '../logic/import-export.js';
import type { ImportDraft } from '../state/use-folders.js';
import { Dialog } from './Dialog.js';

const FORMAT_NAMES: Record<ImportScan['patients'][number]['format'], string> = { 'lgg-tiff': 'LGG TIFF slices', nifti: 'NIfTI', dicom: 'DICOM' };

interface Props {
  draft: ImportDraft;
  onRole(key: string, role: SeriesRole): void;
  onImport(labels: number[] | undefined): void;
  onCancel(): void;
}

/**
 * What a folder of NIfTI or DICOM holds before it is imported: each patient, each file or series with the role the
 * importer gives it and why, a role select per series (the user's word beats the naming rules) and the label values
 * that count as lesion. Nothing is imported until Import.
 */
export function ImportDialog({ draft, onRole, onImport, onCancel }: Props) {
  const [labelsText, setLabelsText] = useState('');
  const labels = parseLabels(labelsText);
  const { scan } = draft;
  return (
    <Dialog label="Import" onCancel={onCancel}>
      <form className="import-dialog" onSubmit={(e) => { e.preventDefault(); if ('labels' in labels) onImport(labels.labels); }}>
        <h2>Import {draft.path}</h2>
        <p className="hint">What each file or series will be used as, and why. Change a role where a name misled the importer.</p>
        <table className="import-table" aria-label="What the folder holds">
          <thead><tr><th>File or series</th><th>Role</th><th>Why</th></tr></thead>
          {scan.patients.map((p) => (
            <tbody key={p.caseId} data-case-id={p.caseId}>
              <tr className="import-patient"><th colSpan={3}>{p.caseId} · {FORMAT_NAMES[p.format]}{p.slices !== null ? ` · ${p.slices} slices` : ''}</th></tr>
              {scan.series.filter((s) => s.caseId === p.caseId).map((s) => (
                <tr key={s.key} data-series-key={s.key} data-role={s.role} className={draft.chosen[s.key] ? 'chosen' : ''}>
                  <td className="series-label" title={s.key}>{s.label}</td>
                  <td>
                    <select value={draft.chosen[s.key] ?? s.role} onChange={(e) => onRole(s.key, e.target.value as SeriesRole)} aria-label={`Role of ${s.label}`}>
                      {SERIES_ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                    </select>
                  </td>
                  <td className="series-reason">{s.reason}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
        {scan.skipped.length > 0 && (
          <details className="import-skipped">
            <summary>{scan.skipped.length} files will be skipped</summary>
            <ul>{scan.skipped.map((s) => <li key={s.file}>{s.file.split('/').pop()}: {s.reason}</li>)}</ul>
          </details>
        )}
        <label className="labels-field" title="The label values that count as lesion, e.g. 1,2,4 for BraTS; empty: any non-zero value">
          Lesion labels <input value={labelsText} onChange={(e) => setLabelsText(e.target.value)} placeholder="any non-zero value" aria-label="Lesion labels" />
        </label>
        {'error' in labels && <p className="message" role="alert">{labels.error}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" className="primary" disabled={'error' in labels}>Import</button>
        </div>
      </form>
    </Dialog>
  );
}
