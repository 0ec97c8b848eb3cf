import { createEmptyMask, maskArea } from '@lesionlab/mask';
import { floodFillByIntensity } from './flood-fill';

describe('floodFillByIntensity', () => {
  // 10x10: a -650 HU patch at x 2..5, y 3..6 in -900 HU lung, with one -655 pixel, and a separate -650 patch at x 8.
  const values = new Float32Array(100).fill(-900);
  for (let y = 3; y <= 6; y++) for (let x = 2; x <= 5; x++) values[y * 10 + x] = -650;
  values[4 * 10 + 3] = -655;
  for (let y = 0; y < 10; y++) values[y * 10 + 8] = -650;

  it('fills the connected region within the tolerance of the seed value, not a separate one', () => {
    const mask = createEmptyMask(10, 10);
    const rect = floodFillByIntensity(mask, values, { x: 2.5, y: 3.5 }, 10, 1);
    expect(maskArea(mask)).toBe(16);
    expect(rect).toEqual({ x: 2, y: 3, width: 4, height: 4 });
    expect(mask.data[0 * 10 + 8]).toBe(0);
  });

  it('a tight tolerance leaves out pixels that differ more', () => {
    const mask = createEmptyMask(10, 10);
    floodFillByIntensity(mask, values, { x: 2, y: 3 }, 1, 1);
    expect(maskArea(mask)).toBe(15);
  });

  it('erases with value 0 and ignores a seed outside the image', () => {
    const mask = createEmptyMask(10, 10);
    mask.data.fill(1);
    floodFillByIntensity(mask, values, { x: 8, y: 0 }, 0, 0);
    expect(maskArea(mask)).toBe(90);
    expect(floodFillByIntensity(mask, values, { x: -1, y: 0 }, 0, 0).width).toBe(0);
  });
});
