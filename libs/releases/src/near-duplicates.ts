/** A slice with its 64-bit perceptual hash (as a signed bigint, the way PostgreSQL stores it). */
export interface HashedSlice {
  sliceId: string;
  group: string;
  hash: bigint;
}

export interface NearDuplicatePair {
  a: string;
  b: string;
  distance: number;
}

const BANDS = 4;
const BAND_BITS = 16n;
const MASK_64 = (1n << 64n) - 1n;

export function hammingDistance(a: bigint, b: bigint): number {
  let x = (a ^ b) & MASK_64;
  let count = 0;
  while (x) {
    x &= x - 1n;
    count++;
  }
  return count;
}

/**
 * Pairs of slices of different groups whose hashes differ in at most `maxDistance` bits. With
 * maxDistance < 4, two such hashes agree on at least one of four 16-bit bands (pigeonhole), so only
 * slices sharing a band are compared — near-linear instead of all pairs.
 */
export function findNearDuplicates(slices: HashedSlice[], maxDistance = 3): NearDuplicatePair[] {
  if (maxDistance >= BANDS) throw new RangeError(`maxDistance must be below ${BANDS} for banded search`);
  const seen = new Set<string>();
  const pairs: NearDuplicatePair[] = [];
  for (let band = 0n; band < BigInt(BANDS); band++) {
    const buckets = new Map<bigint, HashedSlice[]>();
    for (const slice of slices) {
      const key = ((slice.hash & MASK_64) >> (band * BAND_BITS)) & 0xffffn;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(slice);
      else buckets.set(key, [slice]);
    }
    for (const bucket of buckets.values()) {
      for (let i = 0; i < bucket.length; i++) {
        for (let j = i + 1; j < bucket.length; j++) {
          const [x, y] = bucket[i].sliceId < bucket[j].sliceId ? [bucket[i], bucket[j]] : [bucket[j], bucket[i]];
          if (x.group === y.group) continue;
          const id = `${x.sliceId}|${y.sliceId}`;
          if (seen.has(id)) continue;
          const distance = hammingDistance(x.hash, y.hash);
          if (distance > maxDistance) continue;
          seen.add(id);
          pairs.push({ a: x.sliceId, b: y.sliceId, distance });
        }
      }
    }
  }
  return pairs.sort((p, q) => (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1));
}
