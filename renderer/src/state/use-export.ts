import { useCallback, useState } from 'react';
import type { ExportFormatName, RendererApi } from '../../../src/contract/index.js';
import { exportMessage } from '../logic/import-export.js';
import type { Notifications } from './use-notifications.js';

/** What the export dialog asks: the format, and whether to write the active model's predictions instead of the masks. */
export interface ExportChoice {
  format: ExportFormatName;
  predictions: boolean;
}

/** Exporting masks (or predictions) to a folder, after the export dialog. */
export interface ExportFlow {
  exportBusy: boolean;
  /** The folder the export dialog is open for, or null. */
  exportPath: string | null;
  /** The last choice made, offered again. */
  exportChoice: ExportChoice;
  /** Opens the export dialog for a folder. */
  exportMasks(path: string): void;
  confirmExport(choice: ExportChoice): Promise<void>;
  cancelExport(): void;
}

export function useExport(api: RendererApi, say: Notifications): ExportFlow {
  const [exportBusy, setBusy] = useState(false);
  const [exportPath, setExportPath] = useState<string | null>(null);
  const [exportChoice, setChoice] = useState<ExportChoice>({ format: 'dataset', predictions: false });
  const { setStatus, notify, report } = say;

  const confirmExport = useCallback(async (choice: ExportChoice) => {
    const path = exportPath;
    if (!path) return;
    setExportPath(null);
    setChoice(choice);
    setBusy(true);
    setStatus(`Exporting to ${path}…`);
    const args = { path, format: choice.format, ...(choice.predictions && { predictions: true }) };
    try {
      let r;
      try {
        r = await api.request('export:masks', args);
      } catch (e) {
        // The folder holds the imported originals: their masks are replaced only if the user says so here.
        if (!/holds the imported originals/.test((e as Error).message)) throw e;
        if (!window.confirm(`${(e as Error).message.replace(/ \(--overwrite-originals\)/, '')}\n\nOverwrite the original masks there?`)) {
          setStatus('Export cancelled: the original masks were left as they were.');
          return;
        }
        r = await api.request('export:masks', { ...args, overwriteOriginals: true });
      }
      const { text, kind } = exportMessage(r, choice.predictions);
      notify(text, kind);
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  }, [api, exportPath, setStatus, notify, report]);

  const exportMasks = useCallback((path: string) => setExportPath(path), []);
  const cancelExport = useCallback(() => {
    setExportPath(null);
    setStatus('Export cancelled.');
  }, [setStatus]);
  return { exportBusy, exportPath, exportChoice, exportMasks, confirmExport, cancelExport };
}
