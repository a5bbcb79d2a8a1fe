import { useEffect, useRef, useState } from 'react';
import type { AugmentationPreview, AugmentationSettings, PresetName, PreviewTile, RendererApi } from '../../../src/contract/index.js';
import { describeDraw, previewTilePixels } from '../logic/preview-tile.js';
import { Dialog } from './Dialog.js';

/** Draws per preview: enough to see the spread of the settings, few enough to come back in about a second. */
export const PREVIEW_DRAWS = 8;

/** One tile on its own canvas at the network's input size, pixel for pixel (scaled up by CSS only). */
function TileCanvas({ tile, size, name, caption }: { tile: PreviewTile; size: number; name: string; caption: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (context) context.putImageData(new ImageData(previewTilePixels(tile, size), size, size), 0, 0);
  }, [tile, size]);
  return (
    <figure className="preview-tile">
      <canvas ref={canvas} width={size} height={size} data-tile={name} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

interface Props {
  api: RendererApi;
  sliceId: number;
  augmentation: AugmentationSettings;
  preset: PresetName;
  onClose(): void;
}

/**
 * The slice on screen as the trainer will see it: unaugmented, then under {@link PREVIEW_DRAWS} random draws of the
 * settings, image and mask transformed together by the core's own augmentation (`training:augmentation-preview`).
 */
export function AugmentationPreviewDialog({ api, sliceId, augmentation, preset, onClose }: Props) {
  const [preview, setPreview] = useState<AugmentationPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    api.request('training:augmentation-preview', { sliceId, augmentation, count: PREVIEW_DRAWS, preset })
      .then((result) => live && setPreview(result), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [api, sliceId, augmentation, preset, round]);
  return (
    <Dialog label="Augmentation preview" onCancel={onClose}>
      <h2>What the model will train on</h2>
      <p className="hint">This slice at the {preset} preset&apos;s input size; the mask in red. Each tile is one random draw of
        the settings (flip {augmentation.flipProbability}, scale ±{augmentation.scale}, rotation ±{augmentation.rotationDegrees}°,
        intensity ±{augmentation.intensity}).</p>
      {error && <p className="message" role="alert">Could not draw the preview: {error}</p>}
      {!preview && !error && <p className="hint">Drawing…</p>}
      {preview && (
        <div className="preview-grid" data-testid="augmentation-preview">
          <TileCanvas tile={preview.original} size={preview.size} name="original" caption="original" />
          {preview.draws.map((draw, i) => <TileCanvas key={i} tile={draw} size={preview.size} name={String(i)} caption={describeDraw(draw)} />)}
        </div>
      )}
      <div className="row">
        <button onClick={() => setRound((r) => r + 1)}>Draw again</button>
        <button onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
