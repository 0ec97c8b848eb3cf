import type { AnnotationStats } from '@lesionlab/contracts';
import type { ChartOption } from '../../components/charts/echart';

type ModelRow = AnnotationStats['models'][number];

const KIND_LABEL: Record<ModelRow['kind'], string> = { assist: 'AI assist', suggestion: 'suggestion', interpolation: 'interpolation' };
const TOOLTIP = { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } };
// Long model names wrap onto a second line rather than being cut; the legend sits above the axis names.
const AXIS_LABEL = { interval: 0, width: 150, overflow: 'break' as const, lineHeight: 14 };
const GRID = { left: 56, right: 24, top: 64, bottom: 84 };
const X_NAME = { nameLocation: 'middle' as const, nameGap: 60 };

/** A draft source as the charts name it: its kind, then the model (interpolation has none). */
export function sourceName(row: ModelRow): string {
  return row.kind === 'interpolation' ? 'interpolation' : `${KIND_LABEL[row.kind]} · ${row.model}`;
}

const seconds = (value: unknown) => (typeof value === 'number' ? `${value.toFixed(1)} s` : 'no measured slices');

/** Mean Dice between each source's drafts and the masks saved from them (1: nothing changed). */
export function editDiceOption(stats: AnnotationStats): ChartOption {
  const rows = stats.models.filter((row) => row.accepted > 0);
  return {
    tooltip: { ...TOOLTIP, valueFormatter: (value) => (typeof value === 'number' ? value.toFixed(3) : '—') },
    grid: GRID,
    xAxis: { type: 'category', data: rows.map(sourceName), name: 'draft source', ...X_NAME, axisLabel: AXIS_LABEL },
    yAxis: { type: 'value', name: 'mean Dice, draft vs saved', min: 0, max: 1 },
    series: [{ type: 'bar', name: 'mean edit Dice', data: rows.map((row) => row.meanDice), barMaxWidth: 48 }],
  };
}

/** Slices offered drafts (each annotator's once), accepted, and accepted unchanged, per source. */
export function acceptanceOption(stats: AnnotationStats): ChartOption {
  const rows = stats.models;
  return {
    tooltip: { ...TOOLTIP, valueFormatter: (value) => `${value} slices` },
    legend: { top: 0 },
    grid: GRID,
    xAxis: { type: 'category', data: rows.map(sourceName), name: 'draft source', ...X_NAME, axisLabel: AXIS_LABEL },
    yAxis: { type: 'value', name: 'slices', minInterval: 1 },
    series: [
      { type: 'bar', name: 'offered', data: rows.map((row) => row.offered) },
      { type: 'bar', name: 'accepted', data: rows.map((row) => row.accepted) },
      { type: 'bar', name: 'accepted unchanged', data: rows.map((row) => row.acceptedUnchanged) },
    ],
  };
}

/**
 * Median active editing seconds per slice: each draft source against slices drawn by hand. Bars run
 * across, so that every source's name (one more category than the other charts) has a line of its own.
 */
export function secondsPerSliceOption(stats: AnnotationStats): ChartOption {
  const rows = stats.models.filter((row) => row.accepted > 0);
  return {
    tooltip: { ...TOOLTIP, valueFormatter: seconds },
    grid: { left: 168, right: 32, top: 24, bottom: 56 },
    yAxis: { type: 'category', inverse: true, data: [...rows.map(sourceName), 'manual'], axisLabel: { width: 156, overflow: 'break', lineHeight: 14 } },
    xAxis: { type: 'value', name: 'median active s / slice', nameLocation: 'middle', nameGap: 32 },
    series: [{ type: 'bar', name: 'median active seconds per slice', data: [...rows.map((row) => row.medianSecondsPerSlice), stats.manual.medianSecondsPerSlice], barMaxWidth: 48 }],
  };
}

/** Per annotator: slices (left axis) and median active seconds per slice (right axis). */
export function annotatorsOption(stats: AnnotationStats): ChartOption {
  const rows = stats.annotators;
  return {
    tooltip: TOOLTIP,
    legend: { top: 0 },
    grid: { ...GRID, right: 64 },
    // Axis labels name the annotator without the mail domain, cut with an ellipsis rather than broken mid-word
    // (the tooltip keeps the whole address).
    xAxis: { type: 'category', data: rows.map((row) => row.author), name: 'annotator', ...X_NAME, axisLabel: { ...AXIS_LABEL, width: 96, overflow: 'truncate', ellipsis: '…', formatter: (author: string) => author.split('@')[0] } },
    yAxis: [
      { type: 'value', name: 'slices', minInterval: 1 },
      { type: 'value', name: 's / slice', splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: 'slices', data: rows.map((row) => row.slices), tooltip: { valueFormatter: (value) => `${value} slices` } },
      { type: 'bar', name: 'from drafts', data: rows.map((row) => row.fromDrafts), tooltip: { valueFormatter: (value) => `${value} slices` } },
      { type: 'line', name: 'median active seconds per slice', yAxisIndex: 1, data: rows.map((row) => row.secondsPerSlice), tooltip: { valueFormatter: seconds } },
    ],
  };
}
