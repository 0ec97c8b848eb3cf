import { seriesNames } from '../../components/charts/series-names';
import { metricChartOption, type ChartLine } from './metric-chart-option';

const line = (name: string, values: number[], dash: ChartLine['dash'] = 'solid'): ChartLine => ({ name, colour: '#123456', dash, points: values.map((value, i) => ({ step: (i + 1) * 10, value })) });
const seriesOf = (option: ReturnType<typeof metricChartOption>) => option.series as Array<{ name: string; data: number[][]; silent?: boolean; lineStyle: { type: string } }>;

describe('metricChartOption', () => {
  it('draws each line as [step, value] with the unit on the value axis, a step axis and zoom', () => {
    const option = metricChartOption([line('train', [3, 2, 1]), line('val', [2.5], 'dashed')], { quantity: 'loss', unit: '', smoothing: 0, logScale: false });
    expect(seriesOf(option).map((s) => [s.name, s.data, s.lineStyle.type])).toEqual([
      ['train', [[10, 3], [20, 2], [30, 1]], 'solid'],
      ['val', [[10, 2.5]], 'dashed'],
    ]);
    expect(option.xAxis).toMatchObject({ type: 'value', name: 'step' });
    expect(option.yAxis).toMatchObject({ type: 'value', name: 'loss' });
    expect(option.dataZoom).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'inside' }), expect.objectContaining({ type: 'slider' })]));
    expect(seriesNames(option)).toEqual(['train', 'val']);
  });

  it('names the unit and switches to a log axis, leaving out values a log axis cannot show', () => {
    const option = metricChartOption([line('train', [1, 0, 0.1])], { quantity: 'images_per_s', unit: 'images/s', smoothing: 0, logScale: true });
    expect(option.yAxis).toMatchObject({ type: 'log', name: 'images_per_s (images/s)' });
    expect(seriesOf(option)[0].data).toEqual([[10, 1], [30, 0.1]]);
  });

  it('marks where each stage starts with a labelled vertical line', () => {
    const option = metricChartOption([line('train', [3, 2, 1])], { quantity: 'loss', unit: '', smoothing: 0, logScale: false, marks: [{ step: 0, label: 'pretrain' }, { step: 20, label: 'finetune' }] });
    const [series] = option.series as Array<{ markLine: { data: Array<{ xAxis: number; name: string }> } }>;
    expect(series.markLine.data).toEqual([{ xAxis: 0, name: 'pretrain' }, { xAxis: 20, name: 'finetune' }]);
  });

  it('smooths each line and keeps its raw values as a faint, silent curve behind it', () => {
    const option = metricChartOption([line('train', [10, 0, 10, 0])], { quantity: 'loss', unit: '', smoothing: 0.9, logScale: false });
    const [raw, smooth] = seriesOf(option);
    expect(raw.silent).toBe(true);
    expect(raw.data.map(([, v]) => v)).toEqual([10, 0, 10, 0]);
    const smoothed = smooth.data.map(([, v]) => v);
    expect(smoothed[0]).toBeCloseTo(10);
    expect(Math.max(...smoothed) - Math.min(...smoothed)).toBeLessThan(10);
  });
});
