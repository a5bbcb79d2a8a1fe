import { useState } from 'react';

interface Props {
  busy: boolean;
  onImport(path: string): void;
  onExport(path: string): void;
}

/**
 * Browser mode's stand-in for File ▸ Open Patient Folder… / Import Dataset… / Export Masks…: a path on the
 * machine running `brainseg serve` (the desktop app uses native folder dialogs instead).
 */
export function ImportBar({ busy, onImport, onExport }: Props) {
  const [path, setPath] = useState('');
  return (
    <form className="import-bar" onSubmit={(e) => { e.preventDefault(); if (path.trim()) onImport(path.trim()); }}>
      <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="Folder on the server: a patient folder or the dataset folder" aria-label="Folder path" />
      <button type="submit" disabled={busy || !path.trim()}>Import</button>
      <button type="button" disabled={busy || !path.trim()} onClick={() => onExport(path.trim())}>Export masks here</button>
    </form>
  );
}
