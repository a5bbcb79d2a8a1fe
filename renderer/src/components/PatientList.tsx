import { memo, useState } from 'react';
import type { PatientSummary } from '../../../src/contract/index.js';
import { filterPatients } from '../logic/patients.js';

interface Props {
  patients: readonly PatientSummary[];
  selectedId: number | null;
  onSelect(patientId: number): void;
}

const SCAN_FORMATS = { nifti: 'Imported from NIfTI', dicom: 'Imported from DICOM' } as const;

/** A patient's import warnings, unobtrusive: a sign with the text in its tooltip. */
function ScanWarnings({ warnings }: { warnings: readonly string[] }) {
  return <span className="patient-warning" title={warnings.join('\n')} aria-label={`Import warnings: ${warnings.join('; ')}`} data-testid="patient-warning">{' ⚠'}</span>;
}

/** The catalog's patients with search and their counts: slices, lesion slices, edited slices, split. */
export const PatientList = memo(function PatientList({ patients, selectedId, onSelect }: Props) {
  const [query, setQuery] = useState('');
  const shown = filterPatients(patients, query);
  return (
    <section className="panel patients" aria-label="Patients">
      <input type="search" placeholder={`Search ${patients.length} patients`} value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search patients" />
      <table>
        <thead>
          <tr><th>Patient</th><th title="number of slices">Slices</th><th title="slices with a lesion in their mask">Lesion</th><th title="slices whose mask was edited by hand">Edited</th><th title="train or validation (fixed at import)">Split</th></tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={p.id} className={p.id === selectedId ? 'selected' : ''} onClick={() => onSelect(p.id)} data-case-id={p.caseId}>
              <td title={p.scan ? `${SCAN_FORMATS[p.scan.format]}` : undefined}>{p.caseId}{p.scan?.warnings.length ? <ScanWarnings warnings={p.scan.warnings} /> : null}</td>
              <td>{p.slices}</td>
              <td>{p.lesionSlices}</td>
              <td>{p.editedSlices || ''}</td>
              <td className={`split ${p.split}`}>{p.split === 'validation' ? 'val' : 'train'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {patients.length === 0 && <p className="hint">No patients yet: import a patient folder or the dataset folder.</p>}
    </section>
  );
});
