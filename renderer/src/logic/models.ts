import type { ModelSummary } from '../../../src/contract/index.js';

/**
 * The retrain the gate turned away, while it is still the newest model and not active: the training panel offers
 * to use it anyway. Derived from the model list rather than from the run's end event, so the offer is still there
 * after a reload or the next morning, and goes once the model is activated (from the panel or the Models list) or a
 * newer model is trained.
 */
export function rejectedRetrain(models: readonly ModelSummary[]): ModelSummary | null {
  const newest = models.reduce<ModelSummary | null>((latest, m) => (latest === null || m.id > latest.id ? m : latest), null);
  return newest && newest.status === 'rejected' && !newest.active ? newest : null;
}
