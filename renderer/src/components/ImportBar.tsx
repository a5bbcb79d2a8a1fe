import { useState } from 'react';
import { withShortcut } from '../logic/shortcuts.js';

interface Props {
  busy: boolean;
  onImport(path: string): void;
  onExport(path: string): void;
}

/**
 * Browser mode's stand-in for File ▸ Open Patient Folder… / Import Dataset… / Export Masks…: paths on the
 * machine running `brainseg serve` (the desktop app uses native folder dialogs instead). Import and export each
 * have their own field, so a path typed to import from is never where an export goes by one click.
 */
export function ImportBar({ busy, onImport, onExport }: Props) {
  const [importPath, setImportPath] = useState('');
  const [exportPath, setExportPath] = useState('');
  return (
    <div className="import-bar">
      <form onSubmit={(e) => { e.preventDefault(); if (importPath.trim()) onImport(importPath.trim()); }}>
        <input value={importPath} onChange={(e) => setImportPath(e.target.value)} placeholder="Import: full path of a patient or dataset folder on the server" aria-label="Folder path"
          data-field="import-path" title={withShortcut('Import a patient or dataset folder', 'file:import-dataset')} />
        <button type="submit" disabled={busy || !importPath.trim()}>Import</button>
      </form>
      <form onSubmit={(e) => { e.preventDefault(); if (exportPath.trim()) onExport(exportPath.trim()); }}>
        <input value={exportPath} onChange={(e) => setExportPath(e.target.value)} placeholder="Export masks to: full path of a folder" aria-label="Export to folder"
          data-field="export-path" title={withShortcut('Export masks to a folder', 'file:export-masks')} />
        <button type="submit" disabled={busy || !exportPath.trim()} title="Choose the format (dataset layout, NIfTI, DICOM-SEG), then export">Export masks…</button>
      </form>
    </div>
  );
}
