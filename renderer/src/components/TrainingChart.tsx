import { memo } from 'react';
import { runPosition, validationText } from '../../../src/contract/index.js';
import { formatDice } from '../logic/format.js';
import { polylinePoints, type TrainingHistory } from '../logic/training-history.js';

// `right` and `top` leave room for a point on the plot's edge (the last validation, a Dice near 1) to show whole.
const CHART = { width: 230, height: 90, left: 34, bottom: 16, right: 5, top: 4 };

/**
 * The run's loss per step and its validations as points where they happened: a retrain is one epoch, so its
 * baseline (step 0) and its one final validation are single points, drawn and written out, never a line of one.
 */
export const TrainingChart = memo(function TrainingChart({ history }: { history: TrainingHistory }) {
  const p = history.last;
  const stepsDone = p ? Math.max(1, runPosition(p).stepsDone) : 1;
  const lossMax = Math.max(0.5, ...history.loss.map((l) => l.y));
  const epochMarks = p && p.epochs > 1 ? Array.from({ length: Math.floor(stepsDone / Math.max(1, p.steps)) }, (_, i) => (i + 1) * p.steps) : [];
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.bottom - CHART.top;
  const toX = (x: number) => (Math.min(x, stepsDone) / stepsDone) * plotWidth;
  const toY = (dice: number) => plotHeight - Math.max(0, Math.min(1, dice)) * plotHeight;
  return (
    <>
      <svg className="chart" width={CHART.width} height={CHART.height} role="img" aria-label="Loss and validation Dice">
        <g transform={`translate(${CHART.left},${CHART.top})`}>
          <line className="axis" x1={0} y1={plotHeight} x2={plotWidth} y2={plotHeight} />
          <line className="axis" x1={0} y1={0} x2={0} y2={plotHeight} />
          {epochMarks.map((x) => <line key={x} className="epoch-mark" x1={toX(x)} y1={0} x2={toX(x)} y2={plotHeight} />)}
          <polyline className="loss" points={polylinePoints(history.loss, stepsDone, plotWidth, plotHeight, 0, lossMax)} />
          <polyline className="dice" points={polylinePoints(history.valDice, stepsDone, plotWidth, plotHeight, 0, 1)} />
          {history.valDice.map((v) => (
            <circle key={v.x} className="dice-point" cx={toX(v.x)} cy={toY(v.y)} r={3} data-step={v.x} data-dice={v.y}>
              <title>{`${formatDice(v.y)} ${v.x === 0 ? 'before training' : `at step ${v.x}`}`}</title>
            </circle>
          ))}
          <text className="tick" x={plotWidth} y={CHART.height - CHART.top - 3} textAnchor="end">step {stepsDone}</text>
          <text className="tick" x={0} y={CHART.height - CHART.top - 3}>0</text>
        </g>
        <text className="tick loss" x={CHART.left - 3} y={CHART.top + 9} textAnchor="end">{lossMax.toFixed(1)}</text>
        <text className="tick dice" x={CHART.left - 3} y={CHART.top + 21} textAnchor="end">Dice 1</text>
        <text className="tick" x={CHART.left - 3} y={CHART.top + plotHeight} textAnchor="end">0</text>
      </svg>
      <p className="legend"><span className="loss">loss</span> <span className="dice">● validation Dice</span> <span className="epoch-mark">| epoch</span></p>
      {p && (
        <p className="hint" data-testid="validation-results">Validation Dice: {p.validations.length > 0 ? validationText(p, formatDice)
          : p.phase === 'validating' ? 'being measured…' : 'after the run’s first validation (none yet, or no validation patients).'}</p>
      )}
    </>
  );
});
