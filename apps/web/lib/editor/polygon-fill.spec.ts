import { createEmptyMask, maskArea } from '@lesionlab/mask';
import { fillPolygon } from './polygon-fill';

describe('fillPolygon', () => {
  it('fills an axis-aligned square exactly', () => {
    const mask = createEmptyMask(20, 20);
    const rect = fillPolygon(mask, [{ x: 2, y: 3 }, { x: 12, y: 3 }, { x: 12, y: 9 }, { x: 2, y: 9 }], 1);
    expect(maskArea(mask)).toBe(10 * 6);
    expect(mask.data[3 * 20 + 2]).toBe(1);
    expect(mask.data[8 * 20 + 11]).toBe(1);
    expect(mask.data[9 * 20 + 11]).toBe(0);
    expect(rect.x <= 2 && rect.y <= 3 && rect.x + rect.width >= 12 && rect.y + rect.height >= 9).toBe(true);
  });

  it('fills a triangle with half the area of its box and erases with value 0', () => {
    const mask = createEmptyMask(100, 100);
    fillPolygon(mask, [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 0, y: 100 }], 1);
    expect(Math.abs(maskArea(mask) - 5000)).toBeLessThan(100);
    fillPolygon(mask, [{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 50, y: 50 }, { x: 0, y: 50 }], 0);
    expect(mask.data[10 * 100 + 10]).toBe(0);
    expect(mask.data[60 * 100 + 10]).toBe(1);
  });

  it('uses the even–odd rule for a self-crossing lasso', () => {
    const mask = createEmptyMask(40, 40);
    // A bow tie: two triangles meeting at (20, 20).
    fillPolygon(mask, [{ x: 0, y: 0 }, { x: 40, y: 40 }, { x: 40, y: 0 }, { x: 0, y: 40 }], 1);
    expect(mask.data[20 * 40 + 2]).toBe(1);
    expect(mask.data[2 * 40 + 20]).toBe(0);
  });

  it('ignores a polygon of fewer than 3 points', () => {
    const mask = createEmptyMask(4, 4);
    expect(fillPolygon(mask, [{ x: 0, y: 0 }, { x: 3, y: 3 }], 1).width).toBe(0);
    expect(maskArea(mask)).toBe(0);
  });
});
