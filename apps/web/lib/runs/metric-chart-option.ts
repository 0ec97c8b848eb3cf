import type { ChartOption } from '../../components/charts/echart';
import type { MetricPoint } from './metric-series';
import { smoothEma } from './smoothing';

/** One curve of a chart: its legend name, colour, dash (which split) and points. */
export interface ChartLine {
  name: string;
  colour: string;
  dash: 'solid' | 'dashed' | 'dotted';
  points: readonly MetricPoint[];
}

export interface MetricChartSettings {
  /** Metric name, with its unit on the value axis. */
  quantity: string;
  unit: string;
  /** EMA weight in [0, 1): 0 draws the values as they are. */
  smoothing: number;
  logScale: boolean;
  /** Vertical lines with a label, e.g. where each stage of a recipe run starts. */
  marks?: ReadonlyArray<{ step: number; label: string }>;
}

/** Up to this many points a curve shows a dot per point (a validation curve has a handful). */
const DOTS_UP_TO = 40;

const formatValue = (value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(4)).toString() : String(value ?? ''));

/**
 * The ECharts option of one quantity: step on x, the value (its unit named) on y, linear or log,
 * every line smoothed by `smoothing` with its raw values faint behind it, axis tooltip, legend,
 * zoom by wheel/drag and by the slider under the plot.
 */
export function metricChartOption(lines: readonly ChartLine[], { quantity, unit, smoothing, logScale, marks = [] }: MetricChartSettings): ChartOption {
  const usable = (points: readonly MetricPoint[]) => (logScale ? points.filter((p) => p.value > 0) : points);
  const series = lines.flatMap((line) => {
    const points = usable(line.points);
    const steps = points.map((p) => p.step);
    const shown = smoothing > 0 ? smoothEma(points.map((p) => p.value), smoothing) : points.map((p) => p.value);
    const base = { type: 'line' as const, name: line.name, sampling: 'lttb' as const, itemStyle: { color: line.colour } };
    const main = {
      ...base,
      data: steps.map((step, i) => [step, shown[i]]),
      showSymbol: points.length <= DOTS_UP_TO,
      symbolSize: 5,
      lineStyle: { color: line.colour, width: 2, type: line.dash },
      z: 3,
    };
    if (smoothing === 0 || points.length < 2) return [main];
    const raw = { ...base, data: points.map((p) => [p.step, p.value]), showSymbol: false, silent: true, tooltip: { show: false }, lineStyle: { color: line.colour, width: 1, opacity: 0.25, type: line.dash }, z: 2 };
    return [raw, main];
  });
  return {
    grid: { left: 64, right: 24, top: 40, bottom: 72 },
    legend: { type: 'scroll', top: 4, right: 8, left: '40%' },
    tooltip: { trigger: 'axis', valueFormatter: formatValue, axisPointer: { type: 'line' } },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 26, min: 0, max: 'dataMax', minInterval: 1 },
    yAxis: { type: logScale ? 'log' : 'value', name: unit ? `${quantity} (${unit})` : quantity, nameLocation: 'end', scale: true, axisLabel: { formatter: formatValue } },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 18, bottom: 8 },
    ],
    series: marks.length && series.length ? [{ ...series[0], markLine: markLineOf(marks) }, ...series.slice(1)] : series,
  };
}

function markLineOf(marks: ReadonlyArray<{ step: number; label: string }>) {
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { color: '#8b98a5', type: 'dashed' as const, width: 1 },
    label: { formatter: '{b}', position: 'insideEndTop' as const, color: '#8b98a5' },
    data: marks.map((mark) => ({ xAxis: mark.step, name: mark.label })),
  };
}
