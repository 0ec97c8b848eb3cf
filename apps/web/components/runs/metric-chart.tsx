'use client';

import { useMemo, useState } from 'react';
import type { RunMetric, SplitName } from '@lesionlab/contracts';
import { CHART_COLOURS, EChart } from '../charts/echart';
import { metricChartOption, type ChartLine } from '../../lib/runs/metric-chart-option';
import { isLoss, quantitiesOf, quantityNames, type Quantity } from '../../lib/runs/metric-series';
import type { StageView } from '../../lib/runs/recipe-progress';
import styles from './runs.module.css';

/** The metrics of one run, with the name its curves carry when several runs share the charts. */
export interface RunMetrics {
  label: string;
  metrics: readonly RunMetric[];
  /** A recipe run's stages: each counts its steps from 1, so each is placed after the earlier ones. */
  stages?: readonly StageView[];
}

const DASH: Record<SplitName, ChartLine['dash']> = { train: 'solid', val: 'dashed', test: 'dotted' };
const SPLIT_COLOUR: Record<SplitName, string> = { train: CHART_COLOURS[0], val: CHART_COLOURS[1], test: CHART_COLOURS[2] };

/** One run: a colour per split. Several: a colour per run, the split told by the dash. */
function linesOf(runs: ReadonlyArray<{ label: string; quantity: Quantity | undefined }>): ChartLine[] {
  const several = runs.length > 1;
  return runs.flatMap(({ label, quantity }, r) =>
    (quantity?.lines ?? []).map((line) => ({
      name: several ? `${label} ${line.split}` : line.split,
      colour: several ? CHART_COLOURS[r % CHART_COLOURS.length] : SPLIT_COLOUR[line.split],
      dash: several ? DASH[line.split] : 'solid',
      points: line.points,
    })),
  );
}

type Marks = ReadonlyArray<{ step: number; label: string }>;

function MetricChart({ name, unit, lines, smoothing, logScale, live, marks }: { name: string; unit: string; lines: ChartLine[]; smoothing: number; logScale: boolean; live: boolean; marks: Marks }) {
  const option = useMemo(() => metricChartOption(lines, { quantity: name, unit, smoothing, logScale, marks }), [lines, name, unit, smoothing, logScale, marks]);
  const last = lines.map((l) => `${l.name} ${Number(l.points.at(-1)?.value.toPrecision(4))}`).join(' · ');
  return (
    <figure className={`card ${styles.chart}`} data-testid={`chart-${name}`}>
      <figcaption>
        <b>{name}</b>
        <span className="muted">{last}</span>
      </figcaption>
      <EChart option={option} label={`${name}${unit ? ` in ${unit}` : ''} over training steps`} height={300} keepView={live} />
    </figure>
  );
}

/**
 * Every quantity of one or more runs on its own chart (train and val together), with one smoothing
 * slider and a log-scale switch for the losses shared by all charts.
 */
export function MetricCharts({ runs, live = false }: { runs: readonly RunMetrics[]; live?: boolean }) {
  const [smoothing, setSmoothing] = useState(0.6);
  const [logLoss, setLogLoss] = useState(false);
  const quantities = useMemo(() => runs.map((run) => quantitiesOf(run.metrics, (run.stages ?? []).flatMap((s) => s.segments))), [runs]);
  // Stage lines only where one run is shown: several runs' stages would not line up.
  const marks = useMemo<Marks>(() => (runs.length === 1 ? (runs[0].stages ?? []).filter((s) => s.offset > 0).map((s) => ({ step: s.offset, label: `${s.name} →` })) : []), [runs]);
  const names = quantityNames(quantities);
  if (names.length === 0) return <div className="card muted" data-testid="no-metrics">No metrics yet: curves appear once the trainer reports its first steps.</div>;
  return (
    <section data-testid="metric-charts">
      <div className={styles.controls}>
        <label>
          Smoothing
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} aria-label="Smoothing" data-testid="chart-smoothing" />
          <span className="muted">{smoothing.toFixed(2)}</span>
        </label>
        <label>
          <input type="checkbox" checked={logLoss} onChange={(e) => setLogLoss(e.target.checked)} data-testid="chart-log-loss" />
          Log scale for losses
        </label>
        <span className="muted">Drag or scroll on a chart, or use its slider, to zoom into steps.</span>
      </div>
      <div className={styles.charts}>
        {names.map((name) => {
          const perRun = runs.map((run, i) => ({ label: run.label, quantity: quantities[i].find((q) => q.name === name) }));
          const unit = perRun.find((r) => r.quantity)?.quantity?.unit ?? '';
          return <MetricChart key={name} name={name} unit={unit} lines={linesOf(perRun)} smoothing={smoothing} logScale={logLoss && isLoss(name)} live={live} marks={marks} />;
        })}
      </div>
    </section>
  );
}
