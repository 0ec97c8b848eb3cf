import { createEmptyMask, maskArea } from '@lesionlab/mask';
import { intensityRangeMap, millimetresToPixels, paintSegment, stampDisc } from './brush';

describe('brush', () => {
  it('stamps a round disc of about πr² pixels and reports its rectangle', () => {
    const mask = createEmptyMask(64, 64);
    const rect = stampDisc(mask, { x: 32, y: 32 }, 10, 1);
    expect(Math.abs(maskArea(mask) - Math.PI * 100)).toBeLessThan(12);
    for (let i = 0; i < mask.data.length; i++) {
      const x = i % 64;
      const y = Math.floor(i / 64);
      const inside = (x + 0.5 - 32) ** 2 + (y + 0.5 - 32) ** 2 <= 100;
      expect(mask.data[i]).toBe(inside ? 1 : 0);
      if (inside) expect(x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height).toBe(true);
    }
  });

  it('clips at the border and the eraser removes what it covers', () => {
    const mask = createEmptyMask(16, 16);
    mask.data.fill(1);
    const rect = stampDisc(mask, { x: 0, y: 0 }, 4, 0);
    expect(rect.x).toBe(0);
    expect(rect.y).toBe(0);
    expect(mask.data[0]).toBe(0);
    expect(mask.data[15 * 16 + 15]).toBe(1);
  });

  it('a segment leaves no gap between its ends', () => {
    const mask = createEmptyMask(100, 20);
    paintSegment(mask, { x: 5, y: 10 }, { x: 95, y: 10 }, 2, 1);
    for (let x = 5; x < 95; x++) expect(mask.data[10 * 100 + x]).toBe(1);
  });

  it('the threshold brush paints only pixels within the intensity range', () => {
    const values = new Float32Array(32 * 32).map((_, i) => (i % 32 < 16 ? -700 : 50)); // left: ground glass, right: tissue
    const allowed = intensityRangeMap(values, -800, -300);
    const mask = createEmptyMask(32, 32);
    stampDisc(mask, { x: 16, y: 16 }, 8, 1, allowed);
    expect(maskArea(mask)).toBeGreaterThan(50);
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) expect(values[i]).toBe(-700);
  });

  it('converts a radius in mm using the slice spacing', () => {
    expect(millimetresToPixels(5, [0.5, 0.5])).toBe(10);
  });
});
