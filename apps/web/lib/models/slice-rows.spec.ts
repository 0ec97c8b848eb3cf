import { sliceRows, sortSliceRows } from './slice-rows';

const CSV_ROWS = [
  { slice_id: 'a', patient_id: 'p1', supervision: 'pixel', label: 'covid', covid_prob: 0.9, dice: 0.5, true_lesion_px: 40, pred_lesion_px: 20 },
  { slice_id: 'b', patient_id: null, supervision: 'patient', label: 'covid', covid_prob: 0.2, dice: null, true_lesion_px: null, pred_lesion_px: 3 },
  { slice_id: 'c', patient_id: 'p2', supervision: 'pixel', label: 'covid', covid_prob: 0.6, dice: 0.1, true_lesion_px: 90, pred_lesion_px: 0 },
];

describe('the per-slice table rows', () => {
  it('reads the trainer columns, empty cells as null', () => {
    expect(sliceRows(CSV_ROWS)[1]).toEqual({ sliceId: 'b', patientId: null, label: 'covid', supervision: 'patient', dice: null, trueArea: null, predictedArea: 3, covidProbability: 0.2 });
  });

  it('sorts by a column either way, keeping rows without a value last', () => {
    const rows = sliceRows(CSV_ROWS);
    expect(sortSliceRows(rows, { key: 'dice', ascending: true }).map((r) => r.sliceId)).toEqual(['c', 'a', 'b']);
    expect(sortSliceRows(rows, { key: 'dice', ascending: false }).map((r) => r.sliceId)).toEqual(['a', 'c', 'b']);
    expect(sortSliceRows(rows, { key: 'covidProbability', ascending: false }).map((r) => r.sliceId)).toEqual(['a', 'c', 'b']);
    expect(rows.map((r) => r.sliceId)).toEqual(['a', 'b', 'c']); // the input is left as it was
  });
});
