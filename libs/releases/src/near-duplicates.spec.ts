import fc from 'fast-check';
import { findNearDuplicates, hammingDistance, type HashedSlice } from './near-duplicates';

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** Which slices end up together when groups are joined by the given links. */
function partition(slices: HashedSlice[], links: Array<{ a: string; b: string }>): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => (parent.get(x) === undefined || parent.get(x) === x ? x : find(parent.get(x)!));
  const union = (x: string, y: string) => parent.set(find(x), find(y));
  for (const s of slices) union(`s:${s.sliceId}`, `g:${s.group}`);
  for (const l of links) union(`s:${l.a}`, `s:${l.b}`);
  const sets = new Map<string, string[]>();
  for (const s of slices) sets.set(find(`s:${s.sliceId}`), [...(sets.get(find(`s:${s.sliceId}`)) ?? []), s.sliceId]);
  return [...sets.values()].map((set) => set.sort()).sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

describe('hammingDistance', () => {
  it('counts differing bits, treating signed and unsigned forms alike', () => {
    expect(hammingDistance(0n, 0b1011n)).toBe(3);
    expect(hammingDistance(-1n, (1n << 64n) - 1n)).toBe(0);
    expect(hammingDistance(-1n, 0n)).toBe(64);
    expect(hammingDistance(1n << 63n, 0n)).toBe(1);
  });
});

describe('findNearDuplicates', () => {
  it('joins exactly what a brute-force search joins, with only valid links', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(u64, fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 4 }), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 40 }),
        (specs) => {
          // derive some hashes from others by flipping a few bits, so near and identical pairs exist
          const slices: HashedSlice[] = specs.map(([hash, flips, group], i) => {
            const base = i > 0 && flips.length ? specs[i - 1][0] : hash;
            const flipped = flips.reduce((h, bit) => h ^ (1n << BigInt(bit)), base);
            return { sliceId: `s${String(i).padStart(3, '0')}`, group: `g${group}`, hash: BigInt.asIntN(64, flipped) };
          });
          const brute: Array<{ a: string; b: string }> = [];
          for (let i = 0; i < slices.length; i++) {
            for (let j = i + 1; j < slices.length; j++) {
              if (slices[i].group !== slices[j].group && hammingDistance(slices[i].hash, slices[j].hash) <= 3) brute.push({ a: slices[i].sliceId, b: slices[j].sliceId });
            }
          }
          const found = findNearDuplicates(slices, 3);
          const byId = new Map(slices.map((s) => [s.sliceId, s]));
          for (const link of found) {
            const [x, y] = [byId.get(link.a)!, byId.get(link.b)!];
            expect(x.group).not.toBe(y.group);
            expect(link.distance).toBe(hammingDistance(x.hash, y.hash));
            expect(link.distance).toBeLessThanOrEqual(3);
          }
          expect(partition(slices, found)).toEqual(partition(slices, brute));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('links identical hashes in a chain: 20,000 blank slices of 50 patients give 49 links, not 200 million pairs', () => {
    const blank = Array.from({ length: 20000 }, (_, i) => ({ sliceId: `b${i}`, group: `p${i % 50}`, hash: 0n }));
    expect(findNearDuplicates(blank)).toHaveLength(49);
  });

  it('refuses distances the banded search cannot guarantee', () => {
    expect(() => findNearDuplicates([], 4)).toThrow(RangeError);
  });
});
