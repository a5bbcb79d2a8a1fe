import { useCallback, useRef, useState } from 'react';
import type { ImportScan, PatientSummary, RendererApi, SeriesRole } from '../../../src/contract/index.js';
import { importMessage, overridesOf } from '../logic/import-export.js';
import { useExport, type ExportFlow } from './use-export.js';
import type { Notifications } from './use-notifications.js';

/** A scanner-format folder waiting for the user's word: what it holds, and the roles the user set. */
export interface ImportDraft {
  path: string;
  scan: ImportScan;
  /** Roles the user chose, by series key (they beat the naming rules). */
  chosen: Record<string, SeriesRole>;
}

/** Importing a folder (through the import dialog when it holds NIfTI or DICOM) and exporting masks. */
export interface Folders extends ExportFlow {
  busy: boolean;
  /** Looks in a folder: LGG slices import at once, scanner series open the import dialog. */
  importFolder(path: string): Promise<void>;
  importDraft: ImportDraft | null;
  chooseRole(key: string, role: SeriesRole): void;
  confirmImport(labels: number[] | undefined): void;
  cancelImport(): void;
}

export function useFolders(api: RendererApi, say: Notifications, onImported: (patients: PatientSummary[], firstCaseId: string | undefined, added: boolean) => Promise<void>): Folders {
  const [busy, setBusy] = useState(false);
  const [importDraft, setImportDraft] = useState<ImportDraft | null>(null);
  const scanRequest = useRef(0);
  const { setStatus, notify, report } = say;

  const runImport = useCallback(async (path: string, choices: { sequences?: Array<{ role: SeriesRole; key: string }>; labels?: number[] }) => {
    setBusy(true);
    setStatus(`Importing ${path}…`);
    const offProgress = api.on('import:progress', (p) => setStatus(`Importing ${p.patient}: ${p.done}/${p.total} slices`));
    try {
      const r = await api.request('import:path', { path, ...choices });
      const { text, kind } = importMessage(r);
      notify(text, kind);
      await onImported(await api.request('catalog:list-patients', {}), r.caseIds[0], r.patients > 0);
    } catch (e) {
      report(e);
    } finally {
      offProgress();
      setBusy(false);
    }
  }, [api, setStatus, notify, report, onImported]);

  const importFolder = useCallback(async (path: string) => {
    setBusy(true);
    setStatus(`Looking in ${path}…`);
    // A folder the scan cannot read goes to the import as before, which says what is wrong with it.
    const scan = await api.request('import:scan', { path }).catch(() => null);
    setBusy(false);
    if (scan && scan.series.length > 0) {
      setImportDraft({ path, scan, chosen: {} });
      setStatus(`${path}: ${scan.patients.length} patients, ${scan.series.length} files or series. Check their roles, then Import.`);
    } else await runImport(path, {});
  }, [api, setStatus, runImport]);

  const chooseRole = useCallback((key: string, role: SeriesRole) => {
    if (!importDraft) return;
    const { path } = importDraft;
    const chosen = { ...importDraft.chosen, [key]: role };
    setImportDraft({ ...importDraft, chosen });
    // Scanned again with the choice: another series may change role because of it (a second FLAIR is set aside).
    const request = ++scanRequest.current;
    void api.request('import:scan', { path, sequences: overridesOf(chosen) }).then((scan) => {
      if (request === scanRequest.current) setImportDraft((d) => (d && d.path === path ? { ...d, scan } : d));
    }, report);
  }, [api, importDraft, report]);

  const confirmImport = useCallback((labels: number[] | undefined) => {
    if (!importDraft) return;
    setImportDraft(null);
    const sequences = overridesOf(importDraft.chosen);
    void runImport(importDraft.path, { ...(sequences.length && { sequences }), ...(labels && { labels }) });
  }, [importDraft, runImport]);

  const cancelImport = useCallback(() => {
    setImportDraft(null);
    setStatus('Import cancelled: nothing was imported.');
  }, [setStatus]);

  const exporting = useExport(api, say);
  return { ...exporting, busy: busy || exporting.exportBusy, importFolder, importDraft, chooseRole, confirmImport, cancelImport };
}
