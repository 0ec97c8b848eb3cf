import { createHash } from 'node:crypto';

export type Split = 'train' | 'val' | 'test';
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

/** A stable pseudo-random number in [0, 1) for a group under a seed: the same inputs, the same draw. */
function draw(seed: string, group: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${group}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Assigns whole groups (patients) to splits: groups are ordered by their seeded draw and cut at the
 * ratios, so the assignment depends only on the set of groups and the seed, never on input order.
 */
export function assignGroupsToSplits(groups: Iterable<string>, ratios: SplitRatios, seed: string): Map<string, Split> {
  const total = ratios.train + ratios.val + ratios.test;
  if (!(total > 0) || [ratios.train, ratios.val, ratios.test].some((r) => r < 0 || !Number.isFinite(r))) {
    throw new RangeError('Split ratios must be non-negative numbers with a positive sum');
  }
  const ordered = [...new Set(groups)].map((group) => ({ group, value: draw(seed, group) })).sort((a, b) => a.value - b.value || (a.group < b.group ? -1 : 1));
  const trainEnd = Math.round((ordered.length * ratios.train) / total);
  const valEnd = trainEnd + Math.round((ordered.length * ratios.val) / total);
  return new Map(ordered.map(({ group }, i) => [group, i < trainEnd ? 'train' : i < valEnd ? 'val' : 'test']));
}
