// The click tool (issue #29) in the headless editor: clicks and their proposal, accepted as one undo step and one
// mask version with its clicks, or discarded; propagation's several slices as one operation undone together.
import { describe, expect, it } from 'vitest';
import { Editor, type EditorSlice } from '../../src/editing/editor.js';
import type { PendingMask } from '../../src/editing/save-queue.js';
import { readSampleSlice } from '../helpers/sample-data.js';

const CASE = 'TCGA_CS_6665_20010817';

function makeEditor() {
  const saved: PendingMask[] = [];
  const editor = new Editor({ save: async (m) => void saved.push(m) });
  return { editor, saved };
}

/** A real slice with its stored mask (the sample's own). */
async function realSlice(sliceId: number, number: number): Promise<EditorSlice & { truth: Uint8Array }> {
  const { image, mask } = await readSampleSlice(CASE, number);
  return { sliceId, width: image.width, height: image.height, mask: new Uint8Array(mask.length), versionId: null, image, prediction: null, truth: mask };
}

describe('the click tool', () => {
  it('collects positive and negative clicks, shows the answer, and Enter stores it with its clicks; undo restores', async () => {
    const { editor, saved } = makeEditor();
    const slice = await realSlice(1, 18);
    editor.setSlice(slice);
    editor.setTool('click');
    expect(editor.getState().path).toBe('click.idle');
    expect(editor.pointerDown({ x: 90.7, y: 170.2 }).handled).toBe(true);
    editor.pointerUp();
    expect(editor.getState().path).toBe('click.proposing');
    editor.pointerDown({ x: 10, y: 12 }, { erase: true });
    expect(editor.getState().clicks?.clicks).toEqual([{ x: 90, y: 170, positive: true }, { x: 10, y: 12, positive: false }]);
    expect(editor.acceptClicks()).toMatch(/still on its way/);
    editor.answerClicks(1, 1, new Uint8Array(slice.width * slice.height)); // an older answer: shown, but not acceptable
    expect(editor.acceptClicks()).toMatch(/still on its way/);
    editor.answerClicks(1, 2, slice.truth);
    editor.answerClicks(1, 1, new Uint8Array(slice.width * slice.height)); // arrives late: dropped
    expect(editor.getState().clicks?.proposal).toBe(slice.truth);
    expect(editor.mask!.some((v) => v)).toBe(false); // a proposal is not the mask until accepted
    expect(editor.acceptClicks()).toBeNull();
    expect(Buffer.from(editor.mask!).equals(Buffer.from(slice.truth))).toBe(true);
    expect(editor.getState().clicks).toBeNull();
    await editor.flush();
    expect(saved.map((s) => [s.operation, s.clicks])).toEqual([['click', [{ x: 90, y: 170, positive: true }, { x: 10, y: 12, positive: false }]]]);
    editor.undo();
    expect(editor.mask!.some((v) => v)).toBe(false);
    // The brush still refines afterwards.
    editor.redo();
    editor.setTool('eraser');
    editor.pointerDown({ x: 90, y: 170 });
    editor.pointerUp();
    expect(editor.mask![170 * slice.width + 90]).toBe(0);
  });

  it('Esc (or another tool) discards the proposal without storing anything', async () => {
    const { editor, saved } = makeEditor();
    const slice = await realSlice(1, 18);
    editor.setSlice(slice);
    editor.setTool('click');
    editor.pointerDown({ x: 90, y: 170 });
    editor.answerClicks(1, 1, slice.truth);
    expect(editor.discardClicks()).toBe(true);
    expect(editor.discardClicks()).toBe(false);
    editor.pointerDown({ x: 90, y: 170 });
    editor.setTool('brush');
    expect(editor.getState().clicks).toBeNull();
    await editor.flush();
    expect(saved).toEqual([]);
    expect(editor.mask!.some((v) => v)).toBe(false);
  });

  it('a drag draws a box: its session asks inside it, and Enter stores the proposal with the box; a short drag is a click', async () => {
    const { editor, saved } = makeEditor();
    const slice = await realSlice(1, 18);
    editor.setSlice(slice);
    editor.setTool('click');
    editor.pointerDown({ x: 80, y: 150 });
    expect(editor.getState().path).toBe('click.pressing');
    editor.pointerMove({ x: 81.5, y: 151 }); // within the jitter of a click
    expect(editor.getState().clickDrag).toBeNull();
    editor.pointerMove({ x: 120.2, y: 190.9 });
    expect(editor.getState().path).toBe('click.boxing');
    expect(editor.getState().clickDrag).toEqual({ x: 80, y: 150, width: 41, height: 41 });
    expect(editor.getState().clicks).toBeNull(); // the press's click was taken back
    editor.pointerMove({ x: 60, y: 140 }); // dragged back past the press: the box still spans both corners
    editor.pointerUp();
    const session = editor.getState().clicks!;
    expect(session).toMatchObject({ box: { x: 60, y: 140, width: 21, height: 11 }, clicks: [] });
    expect(editor.getState().path).toBe('click.proposing');
    const inBox = slice.truth.map((v, i) => (v && i % slice.width >= 60 && i % slice.width <= 80 ? v : 0));
    editor.answerClicks(1, 0, new Uint8Array(inBox.length).fill(1), session.id - 1); // an earlier session's answer
    expect(editor.getState().clicks?.proposal).toBeNull();
    editor.answerClicks(1, 0, inBox, session.id);
    expect(editor.acceptClicks()).toBeNull();
    await editor.flush();
    expect(saved.map((s) => [s.operation, s.clicks, s.box])).toEqual([['click', [], { x: 60, y: 140, width: 21, height: 11 }]]);
    // A press released within a few pixels stays a click, with no box.
    editor.pointerDown({ x: 90, y: 170 });
    editor.pointerMove({ x: 91, y: 171 });
    editor.pointerUp();
    expect(editor.getState().clicks).toMatchObject({ box: null, clicks: [{ x: 90, y: 170, positive: true }] });
    // A drag started in a session takes its press's click back from it while the box is dragged, then replaces it.
    const clicked = editor.getState().clicks!.id;
    editor.pointerDown({ x: 100, y: 100 });
    expect(editor.getState().clicks?.clicks).toHaveLength(2);
    editor.pointerMove({ x: 130, y: 120 });
    expect(editor.getState().clicks).toMatchObject({ id: clicked, clicks: [{ x: 90, y: 170, positive: true }] });
    editor.answerClicks(1, 2, slice.truth, clicked); // the answer to the taken-back click: dropped
    expect(editor.getState().clicks?.proposal).toBeNull();
    editor.pointerUp();
    expect(editor.getState().clicks).toMatchObject({ box: { x: 100, y: 100, width: 31, height: 21 }, clicks: [] });
  });

  it('propagation sets several slices as one operation, and undoes them together', async () => {
    const { editor, saved } = makeEditor();
    const slices = await Promise.all([17, 18, 19].map((n, i) => realSlice(i + 1, n)));
    editor.setSlice(slices[1]!);
    const changed = editor.setSlices('propagate', [slices[0]!, slices[2]!].map((s) => ({
      sliceId: s.sliceId, width: s.width, height: s.height, data: s.truth, stored: { mask: s.mask, versionId: null },
    })));
    expect(changed).toEqual([1, 3]);
    await editor.flush();
    expect(saved.map((s) => [s.sliceId, s.operation])).toEqual([[1, 'propagate'], [3, 'propagate']]);
    expect(Buffer.from(saved[0]!.data).equals(Buffer.from(slices[0]!.truth))).toBe(true);
    editor.undoSlices(changed);
    await editor.flush();
    expect(saved.slice(2).map((s) => [s.sliceId, s.operation, s.data.some((v) => v)])).toEqual([[1, 'undo', false], [3, 'undo', false]]);
  });
});
