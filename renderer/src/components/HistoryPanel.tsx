import { memo } from 'react';
import type { MaskVersion } from '../../../src/contract/index.js';
import { formatWhen } from '../logic/format.js';

interface Props {
  versions: readonly MaskVersion[];
  onPreview(versionId: number | null): void;
  onRevert(versionId: number): void;
}

/** A version's operation in words, with the model for an accepted prediction ("accept (model 3)"). */
function describeVersion(v: MaskVersion): string {
  const model = /^model:(\d+)$/.exec(v.source)?.[1];
  const operation = v.operation ?? (v.source === 'imported' ? 'import' : v.source);
  return model ? `${operation} (model ${model})` : operation;
}

/** The current slice's mask versions, newest first; hover previews one, revert adds it back as a new version. */
export const HistoryPanel = memo(function HistoryPanel({ versions, onPreview, onRevert }: Props) {
  return (
    <section className="panel history" aria-label="Mask history">
      <h2>Mask history</h2>
      {versions.length === 0 ? <p className="hint">No mask saved for this slice.</p> : (
        <table>
          <tbody>
            {versions.map((v, i) => (
              <tr key={v.id} data-version-id={v.id} data-source={v.source} onMouseEnter={() => onPreview(v.id)} onMouseLeave={() => onPreview(null)}>
                {/* The date under the operation, not in a column of its own: a row of six columns did not fit the panel. */}
                <td title={v.source}>#{v.id} {describeVersion(v)}<small className="when">{formatWhen(v.createdAt)}</small></td>
                <td>{v.author ?? ''}</td>
                <td>{v.pixels} px</td>
                <td>{i === 0 ? 'current' : <button onClick={() => onRevert(v.id)}>Revert</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
