import type { Evaluation } from '@lesionlab/contracts';

/** One row of the per-slice table, read from the trainer's slices.csv columns. */
export interface SliceRow {
  sliceId: string;
  patientId: string | null;
  label: string;
  supervision: string;
  dice: number | null;
  /** Lesion pixels of the ground truth and of the prediction, at the model's input size. */
  trueArea: number | null;
  predictedArea: number | null;
  covidProbability: number | null;
}

export type SliceSortKey = 'dice' | 'trueArea' | 'predictedArea' | 'covidProbability';
export interface SliceSort {
  key: SliceSortKey;
  ascending: boolean;
}

const numberOrNull = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function sliceRows(slices: Evaluation['slices']): SliceRow[] {
  return slices.map((s) => ({
    sliceId: String(s.slice_id),
    patientId: s.patient_id === null || s.patient_id === undefined ? null : String(s.patient_id),
    label: String(s.label ?? ''),
    supervision: String(s.supervision ?? ''),
    dice: numberOrNull(s.dice),
    trueArea: numberOrNull(s.true_lesion_px),
    predictedArea: numberOrNull(s.pred_lesion_px),
    covidProbability: numberOrNull(s.covid_prob),
  }));
}

/** Sorted by one column; rows without a value (no segmentation truth) always last, whichever the direction. */
export function sortSliceRows(rows: readonly SliceRow[], { key, ascending }: SliceSort): SliceRow[] {
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return ascending ? x - y : y - x;
  });
}
