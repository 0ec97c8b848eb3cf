import type { ChartOption } from './echart';

/** The names of an option's series, in order: the canvas draws the legend, so the chart element carries them as text too. */
export function seriesNames(option: ChartOption): string[] {
  const series = option.series === undefined ? [] : Array.isArray(option.series) ? option.series : [option.series];
  return [...new Set(series.map((s) => s.name).filter((name): name is string => typeof name === 'string'))];
}
