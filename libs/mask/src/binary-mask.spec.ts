import { createEmptyMask, maskArea, maskFromData } from './binary-mask';
import { MaskFormatError } from './errors';

describe('binary mask', () => {
  it('stores pixel (x, y) at y * width + x', () => {
    const mask = maskFromData(3, 2, Uint8Array.of(0, 0, 0, 0, 0, 1));
    expect(mask.data[1 * mask.width + 2]).toBe(1);
    expect(maskArea(mask)).toBe(1);
  });

  it('counts the foreground as the area', () => {
    expect(maskArea(maskFromData(2, 2, Uint8Array.of(1, 1, 0, 1)))).toBe(3);
    expect(maskArea(createEmptyMask(512, 512))).toBe(0);
  });

  it('rejects data of the wrong length or with values other than 0 and 1', () => {
    expect(() => maskFromData(3, 2, new Uint8Array(5))).toThrow(/5 values, expected 6 for 3x2/);
    expect(() => maskFromData(2, 1, Uint8Array.of(0, 255))).toThrow(/0 or 1, got 255 at index 1/);
    expect(() => maskFromData(2, 1, Uint8Array.of(0, 255))).toThrow(MaskFormatError);
  });

  it('rejects sizes that are not positive integers or too large', () => {
    expect(() => createEmptyMask(0, 4)).toThrow(MaskFormatError);
    expect(() => createEmptyMask(4, -1)).toThrow(/positive integers/);
    expect(() => createEmptyMask(4.5, 4)).toThrow(/positive integers/);
    expect(() => createEmptyMask(65536, 65536)).toThrow(/too large/);
  });
});
