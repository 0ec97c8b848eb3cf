/** A slice with its 64-bit perceptual hash (as a signed bigint, the way PostgreSQL stores it). */
export interface HashedSlice {
  sliceId: string;
  group: string;
  hash: bigint;
}

/** Two slices of different groups whose hashes differ in at most the allowed number of bits. */
export interface NearDuplicatePair {
  a: string;
  b: string;
  distance: number;
}

const BANDS = 4;

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

interface Split64 {
  hi: number;
  lo: number;
}

function split64(hash: bigint): Split64 {
  const unsigned = BigInt.asUintN(64, hash);
  return { hi: Number(unsigned >> 32n), lo: Number(unsigned & 0xffffffffn) };
}

function distance(a: Split64, b: Split64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}

export function hammingDistance(a: bigint, b: bigint): number {
  return distance(split64(a), split64(b));
}

function ordered(x: HashedSlice, y: HashedSlice, d: number): NearDuplicatePair {
  return x.sliceId < y.sliceId ? { a: x.sliceId, b: y.sliceId, distance: d } : { a: y.sliceId, b: x.sliceId, distance: d };
}

/**
 * Links between slices of different groups whose hashes differ in at most `maxDistance` bits —
 * enough links to join every such cluster (identical hashes are chained, not paired all with all,
 * so a thousand blank slices cost a thousand links, not half a million). Distinct hashes are compared
 * only when they agree on one of four 16-bit bands: with maxDistance < 4 that misses no pair
 * (pigeonhole), and the search stays near-linear.
 */
export function findNearDuplicates(slices: HashedSlice[], maxDistance = 3): NearDuplicatePair[] {
  if (maxDistance >= BANDS) throw new RangeError(`maxDistance must be below ${BANDS} for banded search`);
  const byHash = new Map<bigint, HashedSlice[]>();
  for (const slice of slices) {
    const key = BigInt.asUintN(64, slice.hash);
    const same = byHash.get(key);
    if (same) same.push(slice);
    else byHash.set(key, [slice]);
  }
  const pairs: NearDuplicatePair[] = [];
  const representatives: Array<{ slice: HashedSlice; bits: Split64; members: HashedSlice[] }> = [];
  for (const members of byHash.values()) {
    members.sort((x, y) => (x.group < y.group ? -1 : x.group > y.group ? 1 : x.sliceId < y.sliceId ? -1 : 1));
    for (let i = 1; i < members.length; i++) if (members[i].group !== members[i - 1].group) pairs.push(ordered(members[i - 1], members[i], 0));
    representatives.push({ slice: members[0], bits: split64(members[0].hash), members });
  }
  const seen = new Set<string>();
  for (let band = 0; band < BANDS; band++) {
    const buckets = new Map<number, typeof representatives>();
    for (const rep of representatives) {
      const word = band < 2 ? rep.bits.lo : rep.bits.hi;
      const key = band % 2 === 0 ? word & 0xffff : word >>> 16;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(rep);
      else buckets.set(key, [rep]);
    }
    for (const bucket of buckets.values()) {
      for (let i = 0; i < bucket.length; i++) {
        for (let j = i + 1; j < bucket.length; j++) {
          const d = distance(bucket[i].bits, bucket[j].bits);
          if (d > maxDistance) continue;
          // one link between the two hash clusters, from members of different groups
          const x = bucket[i].members.find((m) => bucket[j].members.some((n) => n.group !== m.group));
          if (!x) continue;
          const y = bucket[j].members.find((n) => n.group !== x.group)!;
          const link = ordered(x, y, d);
          const id = `${link.a}|${link.b}`;
          if (seen.has(id)) continue;
          seen.add(id);
          pairs.push(link);
        }
      }
    }
  }
  return pairs.sort((p, q) => (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0));
}
