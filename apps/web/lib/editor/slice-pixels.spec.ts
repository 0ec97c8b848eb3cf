import { decodeSlicePixels, modalityValues } from './slice-pixels';

const format = { width: 2, height: 2, rescaleSlope: 1, rescaleIntercept: 0 };

describe('decodeSlicePixels', () => {
  it('reads little-endian int16 and applies slope/intercept in modalityValues', () => {
    const bytes = new Uint8Array([0x18, 0xfc, 0x00, 0x00, 0x28, 0x00, 0xff, 0x7f]); // -1000, 0, 40, 32767
    const pixels = decodeSlicePixels(bytes.buffer, { ...format, bitDepth: 16, pixelRepresentation: 1, rescaleSlope: 2, rescaleIntercept: -10 });
    expect([...pixels.stored]).toEqual([-1000, 0, 40, 32767]);
    expect([...modalityValues(pixels)]).toEqual([-2010, -10, 70, 65524]);
  });

  it('reads uint16 and 8-bit, and refuses a body of the wrong length', () => {
    const u16 = decodeSlicePixels(new Uint8Array([1, 0, 0, 1, 255, 255, 0, 0]).buffer, { ...format, bitDepth: 16, pixelRepresentation: 0 });
    expect([...u16.stored]).toEqual([1, 256, 65535, 0]);
    expect(decodeSlicePixels(new Uint8Array([1, 2, 3, 4]).buffer, { ...format, bitDepth: 8, pixelRepresentation: 0 }).stored).toBeInstanceOf(Uint8Array);
    expect(() => decodeSlicePixels(new ArrayBuffer(3), { ...format, bitDepth: 8, pixelRepresentation: 0 })).toThrow(/expected 4/);
  });
});
