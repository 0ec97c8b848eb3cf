import type { AnnotationStats } from '@lesionlab/contracts';
import { acceptanceOption, annotatorsOption, editDiceOption, secondsPerSliceOption, sourceName } from './stats-charts';

const stats: AnnotationStats = {
  models: [
    { kind: 'assist', model: 'LiteMedSAM 0.1.1', offered: 7, accepted: 4, acceptedUnchanged: 1, meanDice: 0.91, meanPixelsAdded: 40, meanPixelsRemoved: 12, medianSecondsPerSlice: 21 },
    { kind: 'suggestion', model: 'model:jcs:v3', offered: 9, accepted: 0, acceptedUnchanged: 0, meanDice: null, meanPixelsAdded: null, meanPixelsRemoved: null, medianSecondsPerSlice: null },
  ],
  manual: { slices: 3, medianSecondsPerSlice: 64 },
  annotators: [{ author: 'ana@hospital.example', slices: 7, fromDrafts: 4, activeSeconds: 300, secondsPerSlice: 30 }],
};

const seriesData = (option: ReturnType<typeof editDiceOption>) => (option.series as Array<{ name: string; data: unknown[] }>).map((s) => [s.name, s.data]);

describe('annotation statistics charts', () => {
  it('name each draft source by kind and model', () => {
    expect(stats.models.map(sourceName)).toEqual(['AI assist · LiteMedSAM 0.1.1', 'suggestion · model:jcs:v3']);
  });

  it('draw edit Dice and seconds only for sources someone accepted, seconds beside manual slices', () => {
    expect(seriesData(editDiceOption(stats))).toEqual([['mean edit Dice', [0.91]]]);
    expect((secondsPerSliceOption(stats).yAxis as { data: string[] }).data).toEqual(['AI assist · LiteMedSAM 0.1.1', 'manual']);
    expect(seriesData(secondsPerSliceOption(stats))).toEqual([['median active seconds per slice', [21, 64]]]);
  });

  it('show offered, accepted and unchanged for every source', () => {
    expect(seriesData(acceptanceOption(stats))).toEqual([
      ['offered', [7, 9]],
      ['accepted', [4, 0]],
      ['accepted unchanged', [1, 0]],
    ]);
  });

  it('put annotators’ slices and seconds per slice on two axes', () => {
    expect(seriesData(annotatorsOption(stats))).toEqual([
      ['slices', [7]],
      ['from drafts', [4]],
      ['median active seconds per slice', [30]],
    ]);
  });
});
