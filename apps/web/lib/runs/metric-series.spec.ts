import type { RunMetric } from '@lesionlab/contracts';
import { finalScores, isLoss, quantitiesOf, quantityNames, stageOffsets, unitOf } from './metric-series';

let id = 0;
const metric = (split: RunMetric['split'], name: string, step: number | null, value: number | null): RunMetric => ({ id: ++id, split, name, step, value, epoch: null });

describe('quantitiesOf', () => {
  it('puts train and val of one metric on one quantity, one line per split in train/val/test order', () => {
    const quantities = quantitiesOf([metric('val', 'loss', 10, 0.9), metric('train', 'loss', 5, 1.2), metric('train', 'loss', 10, 1.0), metric('val', 'dice', 10, 0.4)]);
    expect(quantities.map((q) => q.name)).toEqual(['loss', 'dice']);
    expect(quantities[0].lines).toEqual([
      { split: 'train', points: [{ step: 5, value: 1.2 }, { step: 10, value: 1.0 }] },
      { split: 'val', points: [{ step: 10, value: 0.9 }] },
    ]);
    expect(quantities[1].unit).toBe('fraction');
  });

  it('sorts points by step and keeps the last value of a step reported twice (resumed run)', () => {
    const [loss] = quantitiesOf([metric('train', 'loss', 3, 3), metric('train', 'loss', 1, 1), metric('train', 'loss', 2, 2), metric('train', 'loss', 2, 2.5)]);
    expect(loss.lines[0].points).toEqual([{ step: 1, value: 1 }, { step: 2, value: 2.5 }, { step: 3, value: 3 }]);
  });

  it('leaves out metrics without a step or a finite value', () => {
    expect(quantitiesOf([metric('test', 'segmentation/dice_mean', null, 0.7), metric('val', 'auc', 4, null), metric('train', 'loss', 1, Number.NaN)])).toEqual([]);
  });
});

describe('recipe stages', () => {
  it('places each stage after the earlier ones when the steps start again', () => {
    const metrics = [metric('train', 'loss', 5, 3), metric('train', 'loss', 10, 2), metric('val', 'dice', 10, 0.2), metric('train', 'loss', 5, 1.5), metric('val', 'dice', 4, 0.5)];
    const [loss, dice] = quantitiesOf(metrics, [10, 4]);
    expect(loss.lines[0].points.map((p) => p.step)).toEqual([5, 10, 15]);
    expect(dice.lines[0].points).toEqual([{ step: 10, value: 0.2 }, { step: 14, value: 0.5 }]);
    expect(stageOffsets([800, 200, 50])).toEqual([0, 800, 1000]);
  });

  it('starts the next stage when a stage logs only its last step, the same as the previous one', () => {
    const [loss] = quantitiesOf([metric('train', 'loss', 3, 9), metric('train', 'loss', 3, 8), metric('train', 'loss', 3, 7)], [3, 3, 3]);
    expect(loss.lines[0].points.map((p) => p.step)).toEqual([3, 6, 9]);
  });

  it('leaves a plain run (no stages) on its own steps', () => {
    const [loss] = quantitiesOf([metric('train', 'loss', 5, 3), metric('train', 'loss', 2, 2)]);
    expect(loss.lines[0].points.map((p) => p.step)).toEqual([2, 5]);
  });
});

describe('units and names', () => {
  it('names units by metric', () => {
    expect(unitOf('images_per_s')).toBe('images/s');
    expect(unitOf('dice_global')).toBe('fraction');
    expect(unitOf('segmentation/iou_mean')).toBe('fraction');
    expect(unitOf('loss_seg')).toBe('');
    expect(isLoss('loss_cls')).toBe(true);
    expect(isLoss('lossless')).toBe(false);
    expect(isLoss('dice')).toBe(false);
  });

  it('lists every quantity of several runs once: losses, scores, others, throughput', () => {
    const a = quantitiesOf([metric('train', 'images_per_s', 1, 30), metric('train', 'loss', 1, 1), metric('val', 'dice', 1, 0.1)]);
    const b = quantitiesOf([metric('train', 'lr', 1, 0.1), metric('val', 'iou', 1, 0.1), metric('train', 'loss_seg', 1, 2)]);
    expect(quantityNames([a, b])).toEqual(['loss', 'loss_seg', 'dice', 'iou', 'lr', 'images_per_s']);
  });

  it('keeps the last score of each final (stepless) metric', () => {
    expect(finalScores([metric('test', 'dice', null, 0.5), metric('train', 'loss', 3, 1), metric('test', 'dice', null, 0.6)])).toEqual([{ split: 'test', name: 'dice', value: 0.6 }]);
  });
});
