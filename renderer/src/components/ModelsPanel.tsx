import { memo } from 'react';
import type { ModelSummary, RendererApi } from '../../../src/contract/index.js';
import { formatDice, formatWhen } from '../logic/format.js';
import { ComputeDeviceLine } from './ComputeDeviceLine.js';

interface Props {
  api: RendererApi;
  models: readonly ModelSummary[];
  onActivate(modelId: number): void;
}

/** Every model version with its metrics; activating an older one rolls back. */
export const ModelsPanel = memo(function ModelsPanel({ api, models, onActivate }: Props) {
  return (
    <section className="panel models" aria-label="Models">
      <h2>Models</h2>
      <ComputeDeviceLine api={api} role="prediction" />
      {models.length === 0 ? <p className="hint">No model yet: train one.</p> : (
        <table>
          <thead><tr><th>#</th><th>Preset</th><th>Val Dice</th><th>Trained</th><th /></tr></thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.id} className={m.active ? 'active' : m.status} data-model-id={m.id}>
                <td>{m.id}{m.parentId ? ` ← ${m.parentId}` : ''}</td>
                <td title={m.origin === 'bundled' ? 'Shipped with BrainSeg: trained on the public LGG dataset (research use, not for diagnosis)' : undefined}>{m.origin === 'bundled' ? `${m.preset} · bundled` : m.preset}
                  <div className="recipe" data-testid="model-recipe">{m.recipe}</div></td>
                <td>{formatDice(m.valDice)}</td>
                <td>{formatWhen(m.createdAt)}</td>
                <td>{m.active ? 'active' : <button onClick={() => onActivate(m.id)}>Activate</button>}{m.status === 'rejected' ? ' (rejected)' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
