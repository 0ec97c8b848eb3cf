export interface HistogramPanel {
  label: string;
  counts: Record<string, number>;
}

const W = 220;
const H = 150;
const TOP = 16;
const BOTTOM = 22;

/** One small vertical-bar histogram per panel over the same `buckets`, all on one scale so panels compare. */
export function Histograms({ chart, buckets, panels }: { chart: string; buckets: readonly string[]; panels: HistogramPanel[] }) {
  const max = Math.max(1, ...panels.flatMap((panel) => buckets.map((b) => panel.counts[b] ?? 0)));
  const slot = W / buckets.length;
  const plot = H - TOP - BOTTOM;
  return (
    <div className="histograms" data-chart={chart}>
      {panels.map((panel) => (
        <figure key={panel.label} className="chart">
          <figcaption className="chart-title">{panel.label}</figcaption>
          <svg viewBox={`0 0 ${W} ${H}`} width={W} role="img" aria-label={`${chart} ${panel.label}`}>
            <line x1={0} x2={W} y1={H - BOTTOM} y2={H - BOTTOM} className="chart-axis" />
            {buckets.map((bucket, i) => {
              const count = panel.counts[bucket] ?? 0;
              const height = (count / max) * plot;
              const x = i * slot + slot * 0.15;
              return (
                <g key={bucket}>
                  {count > 0 && (
                    <rect x={x} y={H - BOTTOM - height} width={slot * 0.7} height={height} className="series-burden" data-row={panel.label} data-key={bucket} data-count={count}>
                      <title>{`${panel.label} · ${bucket}: ${count}`}</title>
                    </rect>
                  )}
                  <text x={x + slot * 0.35} y={H - BOTTOM - height - 4} className="chart-value" textAnchor="middle">
                    {count}
                  </text>
                  <text x={x + slot * 0.35} y={H - 6} className="chart-label" textAnchor="middle">
                    {bucket}
                  </text>
                </g>
              );
            })}
          </svg>
        </figure>
      ))}
    </div>
  );
}
