import type { RunMetric } from '@lesionlab/contracts';

const W = 480;
const H = 160;

/** One metric over steps as an SVG polyline, with its range on the axis. */
export function MetricChart({ name, metrics }: { name: string; metrics: RunMetric[] }) {
  const points = metrics.filter((m) => m.step !== null && m.value !== null) as Array<RunMetric & { step: number; value: number }>;
  if (points.length === 0) return null;
  const steps = points.map((p) => p.step);
  const values = points.map((p) => p.value);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps) || 1];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const x = (s: number) => (x1 === x0 ? W / 2 : ((s - x0) / (x1 - x0)) * (W - 20) + 10);
  const y = (v: number) => (y1 === y0 ? H / 2 : H - 10 - ((v - y0) / (y1 - y0)) * (H - 20));
  return (
    <figure className="card" data-testid={`chart-${name}`}>
      <figcaption>
        {name} <span className="muted">{values.at(-1)!.toFixed(4)} (min {y0.toFixed(4)}, max {y1.toFixed(4)})</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`${name} over steps`}>
        <polyline fill="none" stroke="currentColor" strokeWidth="2" points={points.map((p) => `${x(p.step)},${y(p.value)}`).join(' ')} />
      </svg>
    </figure>
  );
}
