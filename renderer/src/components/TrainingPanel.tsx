import { memo, useState } from 'react';
import { formatDice, formatDuration } from '../logic/format.js';
import { polylinePoints, runFraction, type TrainingHistory } from '../logic/training-history.js';

export type PresetChoice = 'fast' | 'full' | 'tiny';

interface Props {
  running: boolean;
  history: TrainingHistory;
  message: string;
  onStart(options: { fromScratch: boolean; preset: PresetChoice; epochs: number }): void;
  onCancel(): void;
}

const CHART = { width: 260, height: 90 };

/** Retrain or train from scratch, follow the run (progress, speed, ETA, loss and Dice chart), cancel it. */
export const TrainingPanel = memo(function TrainingPanel({ running, history, message, onStart, onCancel }: Props) {
  const [preset, setPreset] = useState<PresetChoice>('fast');
  const [epochs, setEpochs] = useState(10);
  const p = history.last;
  const fraction = runFraction(p);
  const xMax = p ? p.epochs * Math.max(1, p.steps) : 1;
  const lossMax = Math.max(1, ...history.loss.map((l) => l.y));
  return (
    <section className="panel training" aria-label="Training">
      <h2>Training</h2>
      <div className="row">
        <label>Preset <select value={preset} onChange={(e) => setPreset(e.target.value as PresetChoice)} disabled={running} aria-label="Preset">
          <option value="fast">fast (CPU)</option>
          <option value="full">full (Buda 2019)</option>
          <option value="tiny">tiny (smoke test)</option>
        </select></label>
        <label>Epochs <input type="number" min={1} max={1000} value={epochs} disabled={running} onChange={(e) => setEpochs(Math.max(1, Number(e.target.value) || 1))} aria-label="Epochs" /></label>
      </div>
      <div className="row">
        <button onClick={() => onStart({ fromScratch: false, preset, epochs })} disabled={running} title="Model ▸ Retrain on Edits (Ctrl+R)">Retrain on edits</button>
        <button onClick={() => onStart({ fromScratch: true, preset, epochs })} disabled={running} title="Model ▸ Train from Scratch (Ctrl+Shift+R)">Train from scratch</button>
        <button onClick={onCancel} disabled={!running}>Cancel</button>
      </div>
      <progress max={1} value={fraction} aria-label="Training progress" data-fraction={fraction.toFixed(3)} />
      <p className="training-status" data-testid="training-status">
        {p ? `${p.phase} · epoch ${p.epoch}/${p.epochs} · step ${p.step}/${p.steps} · ${p.slicesPerSecond?.toFixed(1) ?? '—'} slices/s · ETA ${formatDuration(p.etaSeconds)} · val Dice ${formatDice(p.valDice)}` : 'No run yet.'}
      </p>
      <svg className="chart" width={CHART.width} height={CHART.height} role="img" aria-label="Loss and validation Dice">
        <polyline className="loss" points={polylinePoints(history.loss, xMax, CHART.width, CHART.height, 0, lossMax)} />
        <polyline className="dice" points={polylinePoints(history.valDice, xMax, CHART.width, CHART.height, 0, 1)} />
      </svg>
      <p className="legend"><span className="loss">loss</span> <span className="dice">validation Dice</span></p>
      {message && <p className="message" data-testid="training-message">{message}</p>}
    </section>
  );
});
