import { useCallback, useState } from 'react';
import type { PatientSummary, RendererApi } from '../../../src/api/contract.js';
import type { Notifications } from './use-notifications.js';

/** Importing a folder and exporting masks, with their progress and results. */
export interface Folders {
  busy: boolean;
  importFolder(path: string): Promise<void>;
  exportMasks(path: string): Promise<void>;
}

export function useFolders(api: RendererApi, say: Notifications, onImported: (patients: PatientSummary[], firstCaseId: string | undefined) => Promise<void>): Folders {
  const [busy, setBusy] = useState(false);
  const { setStatus, notify, report } = say;

  const importFolder = useCallback(async (path: string) => {
    setBusy(true);
    setStatus(`Importing ${path}…`);
    const offProgress = api.on('import:progress', (p) => setStatus(`Importing ${p.patient}: ${p.done}/${p.total} slices`));
    try {
      const r = await api.request('import:path', { path });
      const skipped = r.skipped.length ? ` · ${r.skipped.length} skipped: ${r.skipped.slice(0, 3).map((s) => `${s.file.split('/').pop()} (${s.reason})`).join('; ')}` : '';
      notify(`Imported ${r.patients} new patients, ${r.slices} slices (${r.lesionSlices} with lesions, ${r.unchanged} unchanged) in ${r.seconds.toFixed(1)} s${skipped}.`, r.skipped.length ? 'info' : 'success');
      await onImported(await api.request('catalog:list-patients', {}), r.caseIds[0]);
    } catch (e) {
      report(e);
    } finally {
      offProgress();
      setBusy(false);
    }
  }, [api, setStatus, notify, report, onImported]);

  const exportMasks = useCallback(async (path: string) => {
    setBusy(true);
    try {
      let r;
      try {
        r = await api.request('export:masks', { path });
      } catch (e) {
        // The folder holds the imported originals: their masks are replaced only if the user says so here.
        if (!/holds the imported originals/.test((e as Error).message)) throw e;
        if (!window.confirm(`${(e as Error).message.replace(/ \(--overwrite-originals\)/, '')}\n\nOverwrite the original masks there?`)) {
          setStatus('Export cancelled: the original masks were left as they were.');
          return;
        }
        r = await api.request('export:masks', { path, overwriteOriginals: true });
      }
      notify(`Exported ${r.patients} patients (${r.masks} masks) to ${r.folder}.`, 'success');
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  }, [api, setStatus, notify, report]);

  return { busy, importFolder, exportMasks };
}
