import { useCallback, useEffect, useRef, useState } from 'react';
import type { MaskVersion, RendererApi, SliceListing } from '../../../src/contract/index.js';

/** The shown slice's mask versions, and the one previewed from the history panel. */
export interface MaskHistoryView {
  versions: MaskVersion[];
  /** The pixels of the version under the mouse in the history panel, drawn instead of the working mask. */
  preview: Uint8Array | null;
  previewVersion(versionId: number | null): void;
  /** Adds a version just saved (if it is the shown slice's), in its place by id. */
  addVersion(version: MaskVersion): void;
  /** Reads the shown slice's versions again (someone else saved one). */
  reload(): void;
  /** Reads a version's pixels (to revert to it). */
  readVersion(versionId: number): Promise<Uint8Array>;
}

export function useMaskHistory(api: RendererApi, slice: SliceListing | undefined): MaskHistoryView {
  // By id: a save gives the shown slice a new listing object, and its history is updated from the save's answer.
  const sliceId = slice?.id;
  const [versions, setVersions] = useState<MaskVersion[]>([]);
  const [preview, setPreview] = useState<Uint8Array | null>(null);
  // The version under the mouse. A preview's answer that arrives after the mouse left its row (or moved to another
  // row) is dropped; otherwise a slow answer would put the preview back after the leave had cleared it.
  const hovered = useRef<number | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setVersions([]);
    setPreview(null);
    hovered.current = null;
    if (sliceId === undefined) return;
    let live = true;
    api.request('masks:list-versions', { sliceId }).then((v) => live && setVersions(v), () => undefined);
    return () => {
      live = false;
    };
  }, [api, sliceId, generation]);

  const previewVersion = useCallback((id: number | null) => {
    hovered.current = id;
    if (id === null) return setPreview(null);
    void api.request('masks:get-version', { versionId: id }).then((m) => {
      if (hovered.current === id) setPreview(m.data);
    }, () => undefined);
  }, [api]);

  const addVersion = useCallback((version: MaskVersion) => {
    // Newest first, by id: another person's version saved in between sits under this page's.
    setVersions((list) => (list[0]?.sliceId === version.sliceId || list.length === 0 ? [version, ...list.filter((v) => v.id !== version.id)].sort((a, b) => b.id - a.id) : list));
  }, []);

  const readVersion = useCallback(async (versionId: number) => {
    const m = await api.request('masks:get-version', { versionId });
    hovered.current = null;
    setPreview(null);
    return m.data;
  }, [api]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return { versions, preview, previewVersion, addVersion, reload, readVersion };
}
