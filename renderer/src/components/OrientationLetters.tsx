import type { PatientScanInfo } from '../../../src/contract/index.js';
import { edgeAnchors, type Rect } from '../logic/orientation.js';

const SIDES = ['left', 'right', 'top', 'bottom'] as const;
const DIRECTIONS: Record<string, string> = { R: 'right', L: 'left', A: 'anterior', P: 'posterior', S: 'superior', I: 'inferior' };

/** "RA" → "right-anterior". */
function direction(letters: string): string {
  return [...letters].map((l) => DIRECTIONS[l] ?? l).join('-');
}

interface Props {
  /** The patient direction each edge of the slice faces; null for patients without orientation (LGG TIFFs). */
  edges: PatientScanInfo['edges'] | null;
  /** Where the image is drawn, in the viewer's pixels. */
  image: Rect;
  viewport: { width: number; height: number };
}

/**
 * The patient directions at the four edges of the slice (radiological view), over the image: at the middle of each
 * edge of the part of the image in view, so zoomed in they stay at the viewer's edges.
 */
export function OrientationLetters({ edges, image, viewport }: Props) {
  const anchors = edges && edgeAnchors(image, viewport);
  if (!edges || !anchors) return null;
  return (
    <div className="orientation" data-testid="orientation">
      {SIDES.map((side) => (
        <span key={side} className={`orientation-letter ${side}`} data-edge={side} style={{ left: anchors[side].x, top: anchors[side].y }}
          title={`The ${side} edge faces the patient's ${direction(edges[side])}`}>{edges[side]}</span>
      ))}
    </div>
  );
}
