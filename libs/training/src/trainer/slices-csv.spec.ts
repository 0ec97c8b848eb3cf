import { parseSlicesCsv } from './slices-csv';

describe("the trainer's slices.csv", () => {
  it('reads CRLF lines (what Python writes): the last column is a number too, empty cells null', () => {
    const text = 'slice_id,label,covid_prob,dice,true_lesion_px,pred_lesion_px\r\na,covid,0.537000,0.250000,120,0\r\nb,negative,0.1,,,7\r\n';
    expect(parseSlicesCsv(text)).toEqual([
      { slice_id: 'a', label: 'covid', covid_prob: 0.537, dice: 0.25, true_lesion_px: 120, pred_lesion_px: 0 },
      { slice_id: 'b', label: 'negative', covid_prob: 0.1, dice: null, true_lesion_px: null, pred_lesion_px: 7 },
    ]);
  });
});
