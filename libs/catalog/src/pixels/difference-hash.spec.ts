import { differenceHash } from './difference-hash';
import { greyImage16, greyImage8 } from '@lesionlab/platform';

function gradientImage(width: number, height: number, noise = 0, seed = 1): Buffer {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = 128 + 100 * Math.sin((x / width) * 7 + (y / height) * 3);
      data[y * width + x] = Math.max(0, Math.min(255, Math.round(base + (random() - 0.5) * noise)));
    }
  }
  return data;
}

const bitsDiffering = (a: bigint, b: bigint) => [...BigInt.asUintN(64, a ^ b).toString(2)].filter((c) => c === '1').length;

describe('differenceHash', () => {
  it('barely changes under a little noise and changes a lot for another image', () => {
    const base = differenceHash(greyImage8(128, 128, gradientImage(128, 128)));
    const noisy = differenceHash(greyImage8(128, 128, gradientImage(128, 128, 6, 7)));
    const mirrored = Buffer.alloc(128 * 128);
    const source = gradientImage(128, 128);
    for (let y = 0; y < 128; y++) for (let x = 0; x < 128; x++) mirrored[y * 128 + x] = source[y * 128 + (127 - x)];
    const other = differenceHash(greyImage8(128, 128, mirrored));
    expect(bitsDiffering(base, noisy)).toBeLessThanOrEqual(3);
    // the mirrored image is another picture to the hash: far more than the 3-bit near-duplicate radius
    expect(bitsDiffering(base, other)).toBeGreaterThan(16);
  });

  it('reads 16-bit signed values as values, not bytes', () => {
    const values = new Int16Array(64 * 64).map((_, i) => (i % 64) * -20);
    const hash = differenceHash(greyImage16(64, 64, values));
    // every cell is brighter than its right-hand neighbour: all 64 bits set
    expect(BigInt.asUintN(64, hash)).toBe((1n << 64n) - 1n);
  });
});
