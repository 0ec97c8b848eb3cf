export interface StackedRow {
  label: string;
  values: Record<string, number>;
}

const ROW = 30;
const BAR = 20;
const LABEL_W = 44;
const BAR_W = 290;
const WIDTH = LABEL_W + BAR_W + 40;

/** Horizontal bars, one per row, each stacked from `keys` in order; the scale is the largest row's total. */
export function StackedBars({ chart, keys, rows }: { chart: string; keys: readonly string[]; rows: StackedRow[] }) {
  const totals = rows.map((row) => keys.reduce((sum, key) => sum + (row.values[key] ?? 0), 0));
  const scale = BAR_W / Math.max(1, ...totals);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${rows.length * ROW}`} width={WIDTH} role="img" aria-label={chart} data-chart={chart}>
        {rows.map((row, r) => {
          let x = LABEL_W;
          const y = r * ROW + (ROW - BAR) / 2;
          return (
            <g key={row.label}>
              <text x={LABEL_W - 8} y={y + BAR / 2} className="chart-label" textAnchor="end" dominantBaseline="central">
                {row.label}
              </text>
              {keys.map((key) => {
                const count = row.values[key] ?? 0;
                if (count === 0) return null;
                const width = count * scale;
                const rect = (
                  <rect key={key} x={x} y={y} width={width} height={BAR} className={`series-${key}`} data-row={row.label} data-key={key} data-count={count}>
                    <title>{`${row.label} · ${key}: ${count}`}</title>
                  </rect>
                );
                x += width;
                return rect;
              })}
              <text x={x + 6} y={y + BAR / 2} className="chart-value" dominantBaseline="central" data-row-total={row.label}>
                {totals[r]}
              </text>
            </g>
          );
        })}
      </svg>
      <Legend keys={keys} />
    </figure>
  );
}

function Legend({ keys }: { keys: readonly string[] }) {
  return (
    <figcaption className="chart-legend">
      {keys.map((key) => (
        <span key={key}>
          <span className={`swatch series-${key}`} /> {key}
        </span>
      ))}
    </figcaption>
  );
}
