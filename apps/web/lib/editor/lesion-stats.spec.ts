import { createEmptyMask } from '@lesionlab/mask';
import { stampDisc } from './brush';
import { lesionStats } from './lesion-stats';

describe('lesionStats', () => {
  it('counts separate lesions, their area in px and mm², the largest and the coverage', () => {
    const mask = createEmptyMask(100, 100);
    mask.data.fill(1, 0, 10); // a 10-pixel lesion on the first row
    for (let y = 50; y < 60; y++) mask.data.fill(1, y * 100 + 50, y * 100 + 60); // a 100-pixel square
    expect(lesionStats(mask, [0.5, 0.8])).toEqual({ lesionCount: 2, areaPx: 110, areaMm2: 44, largestLesionPx: 100, coverage: 0.011 });
  });

  it('has no area in mm² without spacing, and nothing for an empty mask', () => {
    const mask = createEmptyMask(10, 10);
    expect(lesionStats(mask, null)).toEqual({ lesionCount: 0, areaPx: 0, areaMm2: null, largestLesionPx: 0, coverage: 0 });
    stampDisc(mask, { x: 5, y: 5 }, 2, 1);
    expect(lesionStats(mask, null).lesionCount).toBe(1);
  });
});
