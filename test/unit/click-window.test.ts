import { describe, expect, it } from 'vitest';
import { clicksSeenAt } from '../../src/ml/interactive/click-refiner.js';
import { MAX_CLICKS_USED } from '../../src/ml/interactive/encoding.js';

const clicks = Array.from({ length: 100 }, (_, i) => ({ x: i, y: i, positive: i % 2 === 0 }));
const xs = (seen: readonly { x: number }[]) => seen.map((c) => c.x);

describe('the clicks each refinement pass sees', () => {
  it('are the newest 64 up to the click, without a box', () => {
    expect(xs(clicksSeenAt(clicks, 10, false))).toEqual(xs(clicks.slice(0, 11)));
    expect(xs(clicksSeenAt(clicks, 99, false))).toEqual(xs(clicks.slice(100 - MAX_CLICKS_USED)));
  });

  it("keep a box's seed (the first click) with the newest 63 once there are more", () => {
    expect(xs(clicksSeenAt(clicks, 10, true))).toEqual(xs(clicks.slice(0, 11)));
    expect(xs(clicksSeenAt(clicks, MAX_CLICKS_USED - 1, true))).toEqual(xs(clicks.slice(0, MAX_CLICKS_USED)));
    const late = clicksSeenAt(clicks, 99, true);
    expect(late).toHaveLength(MAX_CLICKS_USED);
    expect(xs(late)).toEqual([0, ...xs(clicks.slice(100 - (MAX_CLICKS_USED - 1)))]);
  });
});
