import type { RunMetric } from '@lesionlab/contracts';

const W = 480;
const H = 160;
/** Stroke colours of overlaid series, in order (the first is the page's text colour). */
const COLOURS = ['currentColor', '#d9480f', '#1971c2'];

export interface MetricSeries {
  label: string;
  metrics: RunMetric[];
}

type Point = RunMetric & { step: number; value: number };

/** One metric over steps as SVG polylines, one per series on shared axes, with the range on the caption. */
export function MetricChart({ name, series }: { name: string; series: MetricSeries[] }) {
  const lines = series.map((s) => ({ label: s.label, points: s.metrics.filter((m) => m.step !== null && m.value !== null) as Point[] })).filter((l) => l.points.length > 0);
  if (lines.length === 0) return null;
  const steps = lines.flatMap((l) => l.points.map((p) => p.step));
  const values = lines.flatMap((l) => l.points.map((p) => p.value));
  const [x0, x1] = [Math.min(...steps), Math.max(...steps) || 1];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const x = (s: number) => (x1 === x0 ? W / 2 : ((s - x0) / (x1 - x0)) * (W - 20) + 10);
  const y = (v: number) => (y1 === y0 ? H / 2 : H - 10 - ((v - y0) / (y1 - y0)) * (H - 20));
  return (
    <figure className="card" data-testid={`chart-${name}`}>
      <figcaption>
        {name}{' '}
        {lines.map((l, i) => (
          <span key={l.label} className="muted" style={{ color: COLOURS[i % COLOURS.length] }}>
            {lines.length > 1 && `${l.label}: `}
            {l.points.at(-1)!.value.toFixed(4)}{' '}
          </span>
        ))}
        <span className="muted">
          (min {y0.toFixed(4)}, max {y1.toFixed(4)})
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`${name} over steps`}>
        {lines.map((l, i) => (
          <polyline key={l.label} data-series={l.label} fill="none" stroke={COLOURS[i % COLOURS.length]} strokeWidth="2" points={l.points.map((p) => `${x(p.step)},${y(p.value)}`).join(' ')} />
        ))}
      </svg>
    </figure>
  );
}

/** A run's metrics grouped as `split/name` series, in the order they first appear. */
export function seriesByName(metrics: RunMetric[]): Map<string, RunMetric[]> {
  const series = new Map<string, RunMetric[]>();
  for (const m of metrics) series.set(`${m.split}/${m.name}`, [...(series.get(`${m.split}/${m.name}`) ?? []), m]);
  return series;
}
