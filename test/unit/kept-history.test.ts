// The undo history across a reload: a new editor (the reloaded page) takes up each slice's kept history when the
// slice loads, and only if the stored mask is still exactly the one the history led to. Real slices, real strokes.
import { describe, expect, it } from 'vitest';
import { Editor, type EditorSlice } from '../../src/editing/editor.js';
import { isKeptHistories, maskFromRuns, maskRuns, type KeptHistory } from '../../src/editing/kept-history.js';
import { readSampleSlice } from '../helpers/sample-data.js';

const CASE = 'TCGA_CS_6665_20010817';

/** An editor whose saves become versions 101, 102, … (as the catalog's ids would). */
function makeEditor() {
  let next = 100;
  return new Editor<number>({ save: async () => ++next, versionOf: (id) => id });
}

async function realSlice(sliceId: number, number: number, mask?: Uint8Array, versionId: number | null = 7): Promise<EditorSlice> {
  const sample = await readSampleSlice(CASE, number);
  return { sliceId, width: sample.image.width, height: sample.image.height, mask: (mask ?? sample.mask).slice(), versionId, image: sample.image, prediction: null };
}

function stroke(editor: Editor<number>, y: number) {
  editor.setTool('brush');
  editor.pointerDown({ x: 60.5, y });
  editor.pointerMove({ x: 180.5, y });
  editor.pointerUp();
}

/** What sessionStorage hands back: the kept histories through JSON. */
const throughStorage = (kept: KeptHistory[]): unknown => JSON.parse(JSON.stringify(kept));

describe('the undo history kept across a reload', () => {
  it('writes masks as runs and reads them back exactly; refuses runs of the wrong size', async () => {
    const { mask } = await readSampleSlice(CASE, 12); // a slice with a lesion
    const runs = maskRuns(mask);
    expect(runs.length).toBeLessThan(mask.length / 50); // a few hundred numbers for 65,536 pixels
    expect(maskFromRuns(runs, mask.length)).toEqual(mask);
    expect(maskFromRuns(runs, mask.length + 1)).toBeNull();
    expect(maskFromRuns([1, -3], 3)).toBeNull();
    expect(isKeptHistories([{ sliceId: 1, versionId: 2, mask: [0, 4], undo: [[0, 4]], redo: [] }])).toBe(true);
    expect(isKeptHistories([{ sliceId: 1, versionId: null, mask: [], undo: [], redo: [] }])).toBe(false);
    expect(isKeptHistories({})).toBe(false);
  });

  it('undoes the last stroke before the reload, then the one before it, and redoes, on each slice', async () => {
    const before = makeEditor();
    const original = await realSlice(1, 12);
    before.setSlice(original);
    stroke(before, 60.5);
    await before.flush();
    const afterFirst = before.mask!.slice();
    stroke(before, 90.5);
    await before.flush();
    const afterSecond = before.mask!.slice();
    const other = await realSlice(2, 13);
    before.setSlice(other);
    stroke(before, 70.5);
    await before.flush();
    const kept = throughStorage(before.keptHistories());
    if (!isKeptHistories(kept)) throw new Error('kept histories do not read back');
    expect(kept.map((k) => [k.sliceId, k.versionId, k.undo.length])).toEqual([[1, 102, 2], [2, 103, 1]]);
    expect(JSON.stringify(kept).length).toBeLessThan(10_000);

    // The reloaded page: slice 1 loads with what the catalog stores now (the second stroke, version 102).
    const reloaded = makeEditor();
    reloaded.restoreHistories(kept);
    reloaded.setSlice(await realSlice(1, 12, afterSecond, 102));
    expect(reloaded.getState().canUndo).toBe(true);
    reloaded.undo();
    expect(reloaded.mask).toEqual(afterFirst);
    reloaded.undo();
    expect(reloaded.mask).toEqual(original.mask);
    expect(reloaded.getState().canUndo).toBe(false);
    reloaded.redo();
    expect(reloaded.mask).toEqual(afterFirst);
    await reloaded.flush();
    // Slice 2, not shown yet, is still kept (a write now must not drop it), and is taken up when it loads.
    expect(reloaded.keptHistories().map((k) => k.sliceId).sort()).toEqual([1, 2]);
    reloaded.setSlice(await realSlice(2, 13, await keptMask(kept, 2), 103));
    reloaded.undo();
    expect(reloaded.mask).toEqual(other.mask);
  });

  it('drops a slice\'s history when its stored mask is no longer what the history led to', async () => {
    const before = makeEditor();
    const slice = await realSlice(1, 12);
    before.setSlice(slice);
    stroke(before, 60.5);
    await before.flush();
    const kept = throughStorage(before.keptHistories()) as KeptHistory[];
    const stored = before.mask!.slice();
    // Someone saved since (another version), or the same version id holds other pixels (another data folder).
    for (const [mask, versionId] of [[stored, 102], [slice.mask, 101]] as const) {
      const reloaded = makeEditor();
      reloaded.restoreHistories(kept);
      reloaded.setSlice(await realSlice(1, 12, mask, versionId));
      expect(reloaded.getState().canUndo).toBe(false);
      expect(reloaded.keptHistories()).toEqual([]);
    }
  });

  it('keeps a slice\'s last settled history while a stroke or a save is under way', async () => {
    const editor = makeEditor();
    editor.setSlice(await realSlice(1, 12));
    stroke(editor, 60.5);
    await editor.flush();
    const settled = editor.keptHistories();
    editor.pointerDown({ x: 60.5, y: 120.5 }); // a stroke under way: its pixels are not saved yet
    editor.pointerMove({ x: 120.5, y: 120.5 });
    expect(editor.keptHistories()).toEqual(settled);
    editor.pointerUp(); // queued, not yet sent
    expect(editor.keptHistories()).toEqual(settled);
    await editor.flush();
    expect(editor.keptHistories()[0]).toMatchObject({ versionId: 102 });
    expect(editor.keptHistories()[0]!.undo).toHaveLength(2);
  });
});

async function keptMask(kept: KeptHistory[], sliceId: number): Promise<Uint8Array> {
  const k = kept.find((h) => h.sliceId === sliceId)!;
  const { mask } = await readSampleSlice(CASE, 13);
  return maskFromRuns(k.mask, mask.length)!;
}
