import { useEffect, useRef } from 'react';
import type { CatalogChange, RendererApi, SliceListing } from '../../../src/contract/index.js';
import type { Editor } from '../../../src/editing/editor.js';

interface Hooks {
  currentPatient(): number | null;
  slices(): readonly SliceListing[];
  refreshPatients(): Promise<void>;
  refreshSlices(): Promise<void>;
  refreshModels(): Promise<void>;
  refreshHistory(): void;
  /** Drops cached slice pixels so the shown slice is read again. */
  reloadSlices(): void;
  setStatus(text: string): void;
}

/**
 * What others change in a shared catalog, shown as it happens (`catalog:changed`, pushed by the server): another
 * annotator's save of a slice of the open patient redraws it — unless this page has unsaved strokes on that slice,
 * which then save on top and are told of the other version — and new patients or models appear in their lists.
 * The server leaves out the saves it made itself.
 */
export function useCatalogChanges(api: RendererApi, editor: Editor<unknown>, hooks: Hooks): void {
  const hooksRef = useRef(hooks);
  hooksRef.current = hooks;
  useEffect(() => api.on('catalog:changed', (change: CatalogChange) => {
    const h = hooksRef.current;
    if (change.kind === 'patients') return void h.refreshPatients();
    if (change.kind === 'models') return void h.refreshModels();
    // A worker's training and predictions are reported as training:* and predictions:* events.
    if (change.kind !== 'mask' && change.kind !== 'review') return;
    if (change.kind === 'review') {
      void h.refreshPatients(); // approved counts
      if (change.patientId === h.currentPatient()) void h.refreshSlices();
      return;
    }
    void h.refreshPatients(); // edited counts
    if (change.patientId !== h.currentPatient()) return;
    const slice = h.slices().find((s) => s.id === change.sliceId);
    if (editor.forgetSlice(change.sliceId)) h.reloadSlices();
    void h.refreshSlices();
    h.refreshHistory();
    if (slice) h.setStatus(`${change.author ?? 'Someone'} saved slice ${slice.number}.`);
  }), [api, editor]);
}
