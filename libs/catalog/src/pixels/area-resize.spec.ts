import sharp from 'sharp';
import { fitInside, resizeGrey8 } from './area-resize';

describe('fitInside', () => {
  it('gives the size libvips gives for fit: inside', async () => {
    for (const [width, height] of [[235, 320], [512, 512], [630, 401], [100, 60], [33, 700], [127, 129], [1000, 999]]) {
      const { info } = await sharp(Buffer.alloc(width * height), { raw: { width, height, channels: 1 } })
        .resize(128, 128, { fit: 'inside' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect(fitInside(width, height, 128)).toEqual({ width: info.width, height: info.height });
    }
  });
});

describe('resizeGrey8', () => {
  it('averages whole blocks when the sizes divide', () => {
    const data = Buffer.from([0, 2, 10, 10, 4, 6, 10, 10, 100, 100, 255, 255, 100, 100, 255, 255]);
    expect([...resizeGrey8(data, 4, 4, 2, 2)]).toEqual([3, 10, 100, 255]);
  });

  it('weighs the pixels an output pixel covers in part by how much of them it covers', () => {
    // 3 → 2: the first output covers pixel 0 and half of pixel 1, the second half of pixel 1 and pixel 2
    expect([...resizeGrey8(Buffer.from([0, 90, 180]), 3, 1, 2, 1)]).toEqual([30, 150]);
  });

  it('keeps a flat image flat and repeats pixels when enlarging', () => {
    expect(new Set(resizeGrey8(Buffer.alloc(235 * 320, 77), 235, 320, 94, 128))).toEqual(new Set([77]));
    expect([...resizeGrey8(Buffer.from([10, 20]), 2, 1, 4, 2)]).toEqual([10, 10, 20, 20, 10, 10, 20, 20]);
  });
});
