import type { ReleaseSummary } from '@lesionlab/contracts';
import { seriesNames } from '../../components/charts/series-names';
import { burdenOption, lesionBurden, patientsAndSlices, patientsAndSlicesOption, patientsByLabel, slicesBySupervision, stackedOption } from './composition-charts';

const split = (patients: number, slices: number, pixel: number, burden: Record<string, number>) => ({
  patients,
  slices,
  slicesBySupervision: { pixel, patient: slices - pixel, negative: 0, none: 0 },
  patientsByLabel: { covid: patients, negative: 0, unknown: 0 },
  lesionBurden: burden,
});
const summary: ReleaseSummary = {
  slices: 30,
  patients: 5,
  unknownPatientSlices: 0,
  splits: { train: split(3, 18, 4, { '>15%': 1, '<1%': 2, '1-5%': 1 }), val: split(1, 6, 0, {}), test: split(1, 6, 2, { '5-15%': 2 }) },
  nearDuplicates: { pairs: 0, crossSplitPairs: 0, examples: [] },
};

describe('release composition charts', () => {
  it('tabulates slices by supervision and patients by label per split', () => {
    expect(slicesBySupervision(summary)).toEqual({ rows: ['train', 'val', 'test'], columns: ['pixel', 'patient', 'negative', 'none'], counts: [[4, 14, 0, 0], [0, 6, 0, 0], [2, 4, 0, 0]] });
    expect(patientsByLabel(summary).counts).toEqual([[3, 0, 0], [1, 0, 0], [1, 0, 0]]);
    expect(patientsAndSlices(summary).counts).toEqual([[3, 18], [1, 6], [1, 6]]);
  });

  it('orders lesion-burden buckets by their bound and fills missing ones with 0', () => {
    const burden = lesionBurden(summary);
    expect(burden.columns).toEqual(['<1%', '1-5%', '5-15%', '>15%']);
    expect(burden.counts).toEqual([[2, 1, 0, 1], [0, 0, 0, 0], [0, 0, 2, 0]]);
  });

  it('draws stacked bars per split, one series per kind, carrying the counts', () => {
    const option = stackedOption(slicesBySupervision(summary), 'slices');
    expect(seriesNames(option)).toEqual(['pixel', 'patient', 'negative', 'none']);
    const series = option.series as Array<{ stack: string; data: number[] }>;
    expect(series[0]).toMatchObject({ stack: 'total', data: [4, 0, 2] });
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['train', 'val', 'test'] });
  });

  it('puts patients and slices on two axes, and burden bars per split', () => {
    const both = patientsAndSlicesOption(patientsAndSlices(summary));
    expect((both.series as Array<{ yAxisIndex: number }>).map((s) => s.yAxisIndex)).toEqual([0, 1]);
    expect(seriesNames(burdenOption(lesionBurden(summary)))).toEqual(['train', 'val', 'test']);
  });
});
