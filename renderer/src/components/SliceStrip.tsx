import { memo, useEffect, useRef } from 'react';
import type { SliceListing, SliceThumbnail } from '../../../src/contract/index.js';

interface Props {
  slices: readonly SliceListing[];
  thumbnails: ReadonlyMap<number, SliceThumbnail>;
  index: number;
  onSelect(index: number): void;
}

const Thumbnail = memo(function Thumbnail({ thumbnail }: { thumbnail: SliceThumbnail | undefined }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!thumbnail || !canvas.current) return;
    const { width, height, data } = thumbnail;
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = data[i]!;
      rgba[i * 4 + 3] = 255;
    }
    canvas.current.width = width;
    canvas.current.height = height;
    canvas.current.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  }, [thumbnail]);
  return <canvas ref={canvas} className="thumbnail" />;
});

/** Every slice of the patient as a thumbnail, with lesion and edit markers; the current one stays in view. */
export function SliceStrip({ slices, thumbnails, index, onSelect }: Props) {
  const current = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // A block body on purpose: newer Chromium returns a Promise from scrollIntoView, which React would take
    // for a cleanup function.
    void current.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [index]);
  return (
    <nav className="strip" aria-label="Slices">
      {slices.map((slice, i) => (
        <button
          key={slice.id}
          ref={i === index ? current : undefined}
          className={`strip-item${i === index ? ' current' : ''}`}
          onClick={() => onSelect(i)}
          title={`Slice ${slice.number}${slice.hasLesion ? ' · lesion' : ''}${slice.edited ? ' · edited' : ''}${slice.approval ? ` · approved by ${slice.approval.reviewer} ${slice.approval.at.slice(0, 16).replace('T', ' ')}` : ''}`}
          data-approved-by={slice.approval?.reviewer}
          data-slice-number={slice.number}
        >
          <Thumbnail thumbnail={thumbnails.get(slice.id)} />
          <span className="strip-number">{slice.number}</span>
          {slice.hasLesion && <span className="marker lesion" aria-label="lesion" />}
          {slice.edited && <span className="marker edited" aria-label="edited" />}
          {slice.approval && <span className="marker approved" aria-label={`approved by ${slice.approval.reviewer}`} />}
        </button>
      ))}
    </nav>
  );
}
