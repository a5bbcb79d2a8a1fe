import { describe, expect, it } from 'vitest';
import { tf } from '../../src/ml/tf.js';
import { WeightAverage } from '../../src/ml/weight-average.js';

/** A one-layer model whose two weights (kernel [2, 1], bias [1]) are set to `values`. */
function modelWith(values: number[]): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  setWeights(model, values);
  return model;
}

function setWeights(model: tf.LayersModel, [a, b, bias]: number[]): void {
  tf.tidy(() => model.setWeights([tf.tensor2d([[a!], [b!]]), tf.tensor1d([bias!])]));
}

const read = (model: tf.LayersModel) => model.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('the moving average of the weights', () => {
  it('starts at the weights, follows each update by its decay, and lends the average only inside withAveraged', async () => {
    const model = modelWith([1, 2, 3]);
    const before = tf.memory().numTensors;
    const average = WeightAverage.of(model, 0.75);
    setWeights(model, [5, 6, 7]);
    average.update(); // 0.75 · start + 0.25 · now
    setWeights(model, [9, 10, 11]);
    average.update();
    const expected = [1, 2, 3].map((start, i) => 0.75 * (0.75 * start + 0.25 * [5, 6, 7][i]!) + 0.25 * [9, 10, 11][i]!);
    const inside = await average.withAveraged(async () => read(model));
    inside.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(read(model)).toEqual([9, 10, 11]); // training's weights are back
    await expect(average.withAveraged(async () => { throw new Error('validation failed'); })).rejects.toThrow('validation failed');
    expect(read(model)).toEqual([9, 10, 11]); // back after a failure too
    average.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses a decay outside (0, 1)', () => {
    const model = modelWith([1, 2, 3]);
    expect(() => WeightAverage.of(model, 1)).toThrow(/decay/);
    expect(() => WeightAverage.of(model, 0)).toThrow(/decay/);
    model.dispose();
  });
});
