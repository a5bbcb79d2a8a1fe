// The headless editor: tools as state machines driven by pointer events in image coordinates, per-slice undo,
// and one saved version per operation — no React, no canvas (as tldraw tests its tools).
import { describe, expect, it } from 'vitest';
import { Editor, type EditorSlice } from '../../src/editing/editor.js';
import type { PendingMask } from '../../src/editing/save-queue.js';
import { readSampleSlice } from '../helpers/sample-data.js';

const sum = (m: Uint8Array) => m.reduce((n, v) => n + v, 0);

/** An editor whose saves land in `saved` (the order they were sent). */
function makeEditor() {
  const saved: PendingMask[] = [];
  const editor = new Editor({ save: async (m) => void saved.push(m) });
  return { editor, saved };
}

/** A real slice of the sample patient, with its stored mask and a fake "prediction" of the given probabilities. */
async function realSlice(sliceId: number, number: number, prediction: Uint8Array | null = null): Promise<EditorSlice> {
  const { image, mask } = await readSampleSlice('TCGA_CS_6665_20010817', number);
  return { sliceId, width: image.width, height: image.height, mask: mask.slice(), versionId: null, image, prediction: prediction && { modelId: 7, data: prediction } };
}

describe('the brush as a state machine', () => {
  it('idle → stroking → idle; one stroke is one undo step and one saved version', async () => {
    const { editor, saved } = makeEditor();
    editor.setSlice(await realSlice(1, 1)); // slice 1 of CS_6665 has no lesion
    editor.setTool('brush');
    editor.setRadius(3);
    expect(editor.getState().path).toBe('brush.idle');
    const outcome = editor.pointerDown({ x: 40.5, y: 40.5 });
    expect(outcome.handled).toBe(true);
    expect(outcome.dirty).not.toBe('all');
    expect(editor.getState().path).toBe('brush.stroking');
    const dirty = editor.pointerMove({ x: 80.5, y: 40.5 });
    // The rectangle covers the segment and the brush around it, not the whole 256² mask.
    expect(dirty).toMatchObject({ x0: expect.any(Number) });
    if (dirty && dirty !== 'all') {
      expect(dirty.x0).toBeLessThanOrEqual(37);
      expect(dirty.x1).toBeGreaterThanOrEqual(83);
      expect((dirty.x1 - dirty.x0 + 1) * (dirty.y1 - dirty.y0 + 1)).toBeLessThan(256 * 256 / 10);
    }
    editor.pointerUp();
    expect(editor.getState().path).toBe('brush.idle');
    const painted = sum(editor.mask!);
    expect(painted).toBeGreaterThan(40 * 5);
    await editor.flush();
    expect(saved.map((s) => [s.sliceId, s.operation])).toEqual([[1, 'brush']]);
    expect(sum(saved[0]!.data)).toBe(painted);

    editor.undo();
    expect(sum(editor.mask!)).toBe(0);
    expect(editor.getState().canRedo).toBe(true);
    await editor.flush(); // operations queued together are coalesced into one save of the latest mask
    editor.redo();
    expect(sum(editor.mask!)).toBe(painted);
    await editor.flush();
    expect(saved.map((s) => s.operation)).toEqual(['brush', 'undo', 'redo']);
  });

  it('a stroke that changes no pixel leaves no undo step and no save', async () => {
    const { editor, saved } = makeEditor();
    editor.setSlice(await realSlice(1, 1));
    editor.setTool('eraser'); // erasing an empty mask changes nothing
    editor.pointerDown({ x: 50, y: 50 });
    editor.pointerMove({ x: 60, y: 60 });
    editor.pointerUp();
    await editor.flush();
    expect(saved).toEqual([]);
    expect(editor.getState().canUndo).toBe(false);
  });

  it('the eraser removes the radiologist\'s lesion under the stroke and saves as "erase"', async () => {
    const { editor, saved } = makeEditor();
    const slice = await realSlice(12, 12);
    editor.setSlice(slice);
    const before = sum(editor.mask!);
    expect(before).toBeGreaterThan(0);
    const first = slice.mask.indexOf(1);
    editor.setTool('eraser');
    editor.setRadius(32);
    editor.pointerDown({ x: (first % slice.width) + 0.5, y: Math.floor(first / slice.width) + 0.5 });
    editor.pointerUp();
    expect(sum(editor.mask!)).toBeLessThan(before);
    await editor.flush();
    expect(saved.map((s) => s.operation)).toEqual(['erase']);
  });

  it('the prediction brush without a prediction refuses with a message and stays idle', async () => {
    const { editor } = makeEditor();
    editor.setSlice(await realSlice(1, 1));
    editor.setTool('prediction-brush');
    const outcome = editor.pointerDown({ x: 10, y: 10 });
    expect(outcome).toMatchObject({ handled: false, message: 'There is no prediction for this slice yet.' });
    expect(editor.getState().path).toBe('prediction-brush.idle');
  });

  it('navigate takes no pointer input (the viewer pans)', async () => {
    const { editor } = makeEditor();
    editor.setSlice(await realSlice(1, 1));
    expect(editor.pointerDown({ x: 10, y: 10 }).handled).toBe(false);
    expect(editor.getState().path).toBe('navigate.idle');
  });
});

describe('the threshold brush on real FLAIR', () => {
  it('takes its window from the pressed pixel, shows it, and paints only inside it', async () => {
    const { editor } = makeEditor();
    const slice = await realSlice(12, 12);
    slice.mask.fill(0);
    editor.setSlice(slice);
    // The brightest FLAIR pixel of the stored lesion.
    const { mask } = await readSampleSlice('TCGA_CS_6665_20010817', 12);
    let seed = mask.indexOf(1);
    for (let i = 0; i < mask.length; i++) if (mask[i] && slice.image.data[i * 3 + 1]! > slice.image.data[seed * 3 + 1]!) seed = i;
    editor.setTool('threshold');
    editor.setRadius(12);
    editor.pointerDown({ x: (seed % slice.width) + 0.5, y: Math.floor(seed / slice.width) + 0.5 });
    editor.pointerUp();
    const range = editor.getState().range!;
    const value = slice.image.data[seed * 3 + 1]!;
    expect(range).toEqual({ low: Math.max(0, value - 25), high: Math.min(255, value + 25) });
    const painted = editor.mask!;
    expect(sum(painted)).toBeGreaterThan(0);
    for (let i = 0; i < painted.length; i++) {
      if (!painted[i]) continue;
      expect(slice.image.data[i * 3 + 1]).toBeGreaterThanOrEqual(range.low);
      expect(slice.image.data[i * 3 + 1]).toBeLessThanOrEqual(range.high);
    }
  });
});

describe('the lasso', () => {
  it('idle → drawing → fills the outline on release; Shift erases; leaving the image drops an unfinished outline', async () => {
    const { editor, saved } = makeEditor();
    editor.setSlice(await realSlice(1, 1));
    editor.setTool('lasso');
    editor.pointerDown({ x: 10, y: 10 });
    expect(editor.getState().path).toBe('lasso.drawing');
    for (const p of [{ x: 50, y: 10 }, { x: 50, y: 50 }, { x: 10, y: 50 }]) editor.pointerMove(p);
    expect(editor.lassoOutline).toHaveLength(4);
    expect(editor.pointerUp()).toBe('all');
    expect(editor.getState().path).toBe('lasso.idle');
    const filled = sum(editor.mask!);
    expect(filled).toBeGreaterThan(1500);
    expect(filled).toBeLessThan(1700);
    await editor.flush();

    editor.pointerDown({ x: 20, y: 20 }, { erase: true });
    for (const p of [{ x: 30, y: 20 }, { x: 30, y: 30 }, { x: 20, y: 30 }]) editor.pointerMove(p);
    editor.pointerUp();
    expect(sum(editor.mask!)).toBeLessThan(filled);

    const kept = sum(editor.mask!);
    editor.pointerDown({ x: 100, y: 100 });
    editor.pointerMove({ x: 140, y: 100 });
    editor.pointerMove({ x: 140, y: 140 });
    editor.pointerLeave();
    expect(editor.getState().path).toBe('lasso.idle');
    expect(sum(editor.mask!)).toBe(kept);
    await editor.flush();
    expect(saved.map((s) => s.operation)).toEqual(['lasso', 'lasso-erase']);
  });
});

describe('fill, accept, clear and per-slice state', () => {
  it('fill refuses an open region with a message and changes nothing', async () => {
    const { editor, saved } = makeEditor();
    editor.setSlice(await realSlice(1, 1));
    editor.setTool('fill');
    const outcome = editor.pointerDown({ x: 5, y: 5 });
    expect(outcome.message).toMatch(/not closed/);
    await editor.flush();
    expect(saved).toEqual([]);
  });

  it('accept saves the thresholded prediction with its model; each slice keeps its own working mask and undo', async () => {
    const { editor, saved } = makeEditor();
    const probabilities = new Uint8Array(256 * 256);
    probabilities.fill(200, 256 * 100, 256 * 110); // ten rows above the 0.5 cut
    const one = await realSlice(1, 1, probabilities);
    const two = await realSlice(12, 12);
    editor.setSlice(one);
    expect(editor.acceptPrediction()).toBeNull();
    expect(sum(editor.mask!)).toBe(2560);
    editor.setSlice(two);
    const twoStored = sum(two.mask);
    expect(sum(editor.mask!)).toBe(twoStored);
    expect(editor.getState().canUndo).toBe(false);
    editor.clearSlice();
    expect(sum(editor.mask!)).toBe(0);
    editor.setSlice({ ...one }); // the same slice again (a refetch): its working mask and history stay
    expect(sum(editor.mask!)).toBe(2560);
    expect(editor.getState().canUndo).toBe(true);
    await editor.flush();
    expect(saved.map((s) => [s.sliceId, s.operation, s.acceptedModelId])).toEqual([[1, 'accept', 7], [12, 'clear', undefined]]);
  });

  it('notifies subscribers on completed operations and tool changes, not on every pointer move', async () => {
    const { editor } = makeEditor();
    editor.setSlice(await realSlice(1, 1));
    let notified = 0;
    const off = editor.subscribe(() => notified++);
    editor.setTool('brush');
    const afterTool = notified;
    expect(afterTool).toBeGreaterThan(0);
    editor.pointerDown({ x: 40, y: 40 });
    const afterDown = notified;
    for (let x = 41; x < 90; x++) editor.pointerMove({ x, y: 40 });
    expect(notified).toBe(afterDown);
    editor.pointerUp();
    expect(notified).toBeGreaterThan(afterDown);
    off();
    await editor.flush();
  });
});

describe('a slice others edit too (a team catalog)', () => {
  const stroke = (editor: Editor, y: number) => {
    editor.pointerDown({ x: 40.5, y });
    editor.pointerMove({ x: 90.5, y });
    editor.pointerUp();
  };

  it('names in each save the stored version its edits started from: the one loaded, then its own last save', async () => {
    const sent: (number | null)[] = [];
    let nextId = 20;
    const editor = new Editor<{ id: number }>({
      save: async (mask) => (sent.push(mask.baseVersionId), { id: nextId++ }),
      versionOf: (saved) => saved.id,
    });
    editor.setSlice({ ...(await realSlice(1, 1)), versionId: 7 });
    editor.setTool('brush');
    stroke(editor, 40.5);
    await editor.flush();
    stroke(editor, 60.5);
    await editor.flush();
    expect(sent).toEqual([7, 20]);
  });

  it("lets go of a slice someone else saved — but not of a stroke under way or a save not yet through", async () => {
    let release: () => void = () => undefined;
    const editor = new Editor({ save: () => new Promise<void>((resolve) => (release = resolve)) });
    const slice = await realSlice(1, 1);
    editor.setSlice(slice);
    editor.setTool('brush');
    editor.pointerDown({ x: 40.5, y: 40.5 });
    expect(editor.forgetSlice(1)).toBe(false); // mid-stroke: the stroke is kept
    editor.pointerMove({ x: 90.5, y: 40.5 });
    editor.pointerUp();
    const painted = sum(editor.mask!);
    expect(painted).toBeGreaterThan(0);
    const saving = editor.flush();
    expect(editor.forgetSlice(1)).toBe(false); // its save is on the way: it will go on top of theirs
    release();
    await saving;
    expect(editor.forgetSlice(1)).toBe(true);
    expect(editor.getState().canUndo).toBe(false);
    // Shown again (as the page does after reading the store), the slice starts from the stored mask: theirs.
    const theirs = new Uint8Array(slice.mask.length);
    theirs[5] = 1;
    editor.setSlice({ ...slice, mask: theirs, versionId: 31 });
    expect(sum(editor.mask!)).toBe(1);
  });
});
