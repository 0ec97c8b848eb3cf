import fc from 'fast-check';
import { findNearDuplicates, hammingDistance, type HashedSlice } from './near-duplicates';

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('hammingDistance', () => {
  it('counts differing bits, treating signed and unsigned forms alike', () => {
    expect(hammingDistance(0n, 0b1011n)).toBe(3);
    expect(hammingDistance(-1n, (1n << 64n) - 1n)).toBe(0);
    expect(hammingDistance(-1n, 0n)).toBe(64);
  });
});

describe('findNearDuplicates', () => {
  it('finds exactly the pairs of different groups within the distance, like a brute-force search', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(u64, fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 4 }), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 40 }),
        (specs) => {
          // derive some hashes from others by flipping a few bits, so near pairs exist
          const slices: HashedSlice[] = specs.map(([hash, flips, group], i) => {
            const base = i > 0 && flips.length ? specs[i - 1][0] : hash;
            const flipped = flips.reduce((h, bit) => h ^ (1n << BigInt(bit)), base);
            return { sliceId: `s${String(i).padStart(3, '0')}`, group: `g${group}`, hash: flipped };
          });
          const brute = [];
          for (let i = 0; i < slices.length; i++) {
            for (let j = i + 1; j < slices.length; j++) {
              const d = hammingDistance(slices[i].hash, slices[j].hash);
              if (d <= 3 && slices[i].group !== slices[j].group) brute.push({ a: slices[i].sliceId, b: slices[j].sliceId, distance: d });
            }
          }
          expect(findNearDuplicates(slices, 3)).toEqual(brute);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses distances the banded search cannot guarantee', () => {
    expect(() => findNearDuplicates([], 4)).toThrow(RangeError);
  });
});
