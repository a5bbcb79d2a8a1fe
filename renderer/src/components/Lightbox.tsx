import { memo, useEffect, useRef, useState } from 'react';
import type { RendererApi, SliceListing, SliceThumbnail } from '../../../src/contract/index.js';
import { COLORS, maskOverlay } from '../../../src/editing/overlays.js';
import { formatSliceScore } from '../logic/format.js';
import { useSliceScores } from '../state/use-slice-scores.js';

/** Tile size (pixels) of the lightbox: large enough to judge a lesion's shape, small enough for ~30 at once. */
export const LIGHTBOX_TILE = 128;

interface Props {
  api: RendererApi;
  patientId: number;
  slices: readonly SliceListing[];
  current: number;
  onOpen(index: number): void;
  onClose(): void;
}

/** A mask at the tile's size (nearest neighbour), so its outline stays crisp. */
function shrinkMask(mask: Uint8Array, width: number, height: number, size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) out[y * size + x] = mask[Math.floor((y * height) / size) * width + Math.floor((x * width) / size)]!;
  }
  return out;
}

const Tile = memo(function Tile({ thumbnail, mask }: { thumbnail: SliceThumbnail | undefined; mask: Uint8Array | undefined }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!thumbnail || !canvas.current) return;
    const { width, height, data } = thumbnail;
    const rgba = new Uint8ClampedArray(width * height * 4);
    const overlay = mask ? maskOverlay(mask, width, height, COLORS.mask, 0.35) : null;
    for (let i = 0; i < width * height; i++) {
      const a = overlay ? overlay[i * 4 + 3]! / 255 : 0;
      for (let k = 0; k < 3; k++) rgba[i * 4 + k] = Math.round(data[i]! * (1 - a) + (overlay ? overlay[i * 4 + k]! : 0) * a);
      rgba[i * 4 + 3] = 255;
    }
    canvas.current.width = width;
    canvas.current.height = height;
    canvas.current.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  }, [thumbnail, mask]);
  return <canvas ref={canvas} className="lightbox-tile" width={LIGHTBOX_TILE} height={LIGHTBOX_TILE} />;
});

/**
 * Every slice of the patient at once, FLAIR with its current mask: to judge a lesion's extent through the volume
 * at a glance. A click opens that slice in the viewer.
 */
export function Lightbox({ api, patientId, slices, current, onOpen, onClose }: Props) {
  const [thumbnails, setThumbnails] = useState<Map<number, SliceThumbnail>>(new Map());
  const [masks, setMasks] = useState<Map<number, Uint8Array>>(new Map());
  // Each slice's Dice and BCE of the active model's prediction against its mask: off until asked for.
  const [showScores, setShowScores] = useState(false);
  const { bySlice, scores } = useSliceScores(api, patientId, showScores, slices);
  useEffect(() => {
    let live = true;
    void api.request('slices:get-thumbnails', { patientId, size: LIGHTBOX_TILE }).then((list) => {
      if (live) setThumbnails(new Map(list.map((t) => [t.sliceId, t])));
    });
    void Promise.all(slices.map(async (s) => {
      const mask = await api.request('masks:get-current', { sliceId: s.id });
      return [s.id, shrinkMask(mask.data, mask.width, mask.height, LIGHTBOX_TILE)] as const;
    })).then((pairs) => {
      if (live) setMasks(new Map(pairs));
    });
    return () => {
      live = false;
    };
  }, [api, patientId, slices]);
  // The arrow keys move the current tile (the slice the viewer shows on closing): it stays in sight.
  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A statement, not the effect's result: newer Chromium returns a Promise from scrollIntoView.
    void grid.current?.querySelector('.lightbox-item.current')?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  return (
    <div className="lightbox-frame">
      <div className="lightbox-bar">
        <span>{slices.length} slices · ↑/↓ pick, a click or Esc opens the picked one</span>
        <label title="Each slice's Dice (threshold 0.5) and mean binary cross-entropy of the active model's prediction against its current mask">
          <input type="checkbox" checked={showScores} onChange={(e) => setShowScores(e.target.checked)} data-testid="lightbox-scores" /> Dice / BCE
        </label>
        <button onClick={onClose} aria-label="Close the lightbox" data-testid="lightbox-close">Close (Esc)</button>
      </div>
      <div className="lightbox" data-testid="lightbox" aria-label="All slices" ref={grid}>
        {slices.map((s, i) => (
          <button key={s.id} className={`lightbox-item${i === current ? ' current' : ''}`} onClick={() => onOpen(i)} data-slice-number={s.number}
            aria-current={i === current} title={`Slice ${s.number}: ${s.lesionPixels} px of lesion`}>
            <Tile thumbnail={thumbnails.get(s.id)} mask={masks.get(s.id)} />
            <span className="lightbox-number">{s.number}{s.lesionPixels ? ` · ${s.lesionPixels} px` : ''}</span>
            {showScores && (
              <span className="lightbox-score" data-testid="slice-score" data-dice={bySlice.get(s.id)?.dice ?? ''} data-bce={bySlice.get(s.id)?.bce ?? ''}>
                {formatSliceScore(bySlice.get(s.id), scores !== null)}
              </span>
            )}
          </button>
        ))}
      </div>
    </div>
  );
}
