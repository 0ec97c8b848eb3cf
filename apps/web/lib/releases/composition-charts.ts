import { PATIENT_LABELS, SPLIT_NAMES, SUPERVISION_KINDS, type ReleaseSummary } from '@lesionlab/contracts';
import type { ChartOption } from '../../components/charts/echart';

/** A chart's numbers as rows × columns, shown as a table beside the canvas and drawn by the option. */
export interface CountTable {
  rows: readonly string[];
  columns: readonly string[];
  /** counts[row][column] */
  counts: number[][];
}

/** Colours of the supervision kinds and patient labels, the ones the catalog's badges use. */
const KEY_COLOURS: Record<string, string> = { pixel: '#ff8a70', patient: '#4cc2ff', negative: '#8b98a5', none: '#4a5561', covid: '#d29922', unknown: '#4a5561' };

/** Burden buckets ('<1%', '1-5%', '5-15%', '>15%') in order of their upper bound; the summary is jsonb, which does not keep key order. */
export function burdenOrder(bucket: string): number {
  if (bucket.startsWith('>')) return Infinity;
  const bounds = bucket.match(/\d+(\.\d+)?/g) ?? [];
  return Number(bounds[bounds.length - 1] ?? Infinity);
}

const table = (rows: readonly string[], columns: readonly string[], count: (row: string, column: string) => number): CountTable => ({ rows, columns, counts: rows.map((r) => columns.map((c) => count(r, c))) });

/** Slices of each split by supervision kind (rows: splits). */
export const slicesBySupervision = (summary: ReleaseSummary) => table(SPLIT_NAMES, SUPERVISION_KINDS, (split, kind) => summary.splits[split as keyof ReleaseSummary['splits']]?.slicesBySupervision[kind as (typeof SUPERVISION_KINDS)[number]] ?? 0);

/** Patients of each split by label (rows: splits). */
export const patientsByLabel = (summary: ReleaseSummary) => table(SPLIT_NAMES, PATIENT_LABELS, (split, label) => summary.splits[split as keyof ReleaseSummary['splits']]?.patientsByLabel[label as (typeof PATIENT_LABELS)[number]] ?? 0);

/** Patients and slices of each split (rows: splits). */
export const patientsAndSlices = (summary: ReleaseSummary) => table(SPLIT_NAMES, ['patients', 'slices'], (split, what) => summary.splits[split as keyof ReleaseSummary['splits']]?.[what as 'patients' | 'slices'] ?? 0);

/** Masked slices of each split per lesion-burden bucket (rows: splits, columns: buckets in order). */
export function lesionBurden(summary: ReleaseSummary): CountTable {
  const buckets = [...new Set(SPLIT_NAMES.flatMap((s) => Object.keys(summary.splits[s]?.lesionBurden ?? {})))].sort((a, b) => burdenOrder(a) - burdenOrder(b));
  return table(SPLIT_NAMES, buckets, (split, bucket) => summary.splits[split as keyof ReleaseSummary['splits']]?.lesionBurden[bucket] ?? 0);
}

const TOOLTIP = { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } };
const GRID = { left: 56, right: 56, top: 44, bottom: 36 };

/** Bars of each row (split), stacked by column (kind): the composition of every split at a glance. */
export function stackedOption(data: CountTable, unit: string): ChartOption {
  return {
    grid: GRID,
    legend: { top: 4 },
    tooltip: TOOLTIP,
    xAxis: { type: 'category', data: [...data.rows], name: 'split', nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', name: unit, minInterval: 1 },
    series: data.columns.map((column, c) => ({
      type: 'bar',
      name: column,
      stack: 'total',
      itemStyle: KEY_COLOURS[column] ? { color: KEY_COLOURS[column] } : undefined,
      label: { show: true, position: 'inside', formatter: (p: { value: unknown }) => (Number(p.value) > 0 ? String(p.value) : '') },
      data: data.rows.map((_, r) => data.counts[r][c]),
    })),
  };
}

/** Patients and slices of each split side by side, each on its own axis (their scales differ a hundredfold). */
export function patientsAndSlicesOption(data: CountTable): ChartOption {
  return {
    grid: GRID,
    legend: { top: 4 },
    tooltip: TOOLTIP,
    xAxis: { type: 'category', data: [...data.rows], name: 'split', nameLocation: 'middle', nameGap: 24 },
    yAxis: [
      { type: 'value', name: 'patients', minInterval: 1 },
      { type: 'value', name: 'slices', minInterval: 1, splitLine: { show: false } },
    ],
    series: data.columns.map((column, c) => ({ type: 'bar', name: column, yAxisIndex: c, label: { show: true, position: 'top' }, data: data.rows.map((_, r) => data.counts[r][c]) })),
  };
}

/** Masked slices per burden bucket, one bar per split in each bucket. */
export function burdenOption(data: CountTable): ChartOption {
  return {
    grid: GRID,
    legend: { top: 4 },
    tooltip: TOOLTIP,
    xAxis: { type: 'category', data: [...data.columns], name: 'share of the slice covered by lesion', nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', name: 'masked slices', minInterval: 1 },
    series: data.rows.map((row, r) => ({ type: 'bar', name: row, label: { show: true, position: 'top', formatter: (p: { value: unknown }) => (Number(p.value) > 0 ? String(p.value) : '') }, data: [...data.counts[r]] })),
  };
}
