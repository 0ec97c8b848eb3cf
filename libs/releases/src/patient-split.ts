import { createHash } from 'node:crypto';
import type { SplitName } from '@lesionlab/contracts';

export type Split = SplitName;
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

/** A unit that goes to one split whole: a patient, or patients joined by near-duplicate slices. */
export interface SplitGroup {
  id: string;
  /** Groups are balanced across splits within each stratum (e.g. "covid|pixel"). */
  stratum: string;
}

/** A stable pseudo-random number in [0, 1) for a group under a seed: the same inputs, the same draw. */
function draw(seed: string, group: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${group}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

function checkRatios(ratios: SplitRatios): number {
  const values = SPLITS.map((s) => ratios[s]);
  const total = values.reduce((a, b) => a + b, 0);
  if (!(total > 0) || values.some((r) => r < 0 || !Number.isFinite(r))) {
    throw new RangeError('Split ratios must be non-negative numbers with a positive sum');
  }
  return total;
}

/** Splits `n` items by the ratios with the largest-remainder method, so the parts always sum to n. */
export function apportion(n: number, weights: SplitRatios): Record<Split, number> {
  const total = SPLITS.reduce((sum, s) => sum + weights[s], 0);
  if (total <= 0) return { train: n, val: 0, test: 0 };
  const exact = SPLITS.map((s) => (n * weights[s]) / total);
  const parts = exact.map(Math.floor);
  const order = SPLITS.map((_, i) => i).sort((a, b) => exact[b] - parts[b] - (exact[a] - parts[a]) || a - b);
  const leftover = n - parts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < leftover; k++) parts[order[k]]++;
  return { train: parts[0], val: parts[1], test: parts[2] };
}

/**
 * Assigns whole groups to splits. Within each stratum the split sizes follow the ratios (pinned groups
 * count towards their split); the free groups are ordered by their seeded draw and cut, so the result
 * depends only on the groups, the pins and the seed — never on input order.
 */
export function assignSplits(groups: Iterable<SplitGroup>, ratios: SplitRatios, seed: string, pinned: ReadonlyMap<string, Split> = new Map()): Map<string, Split> {
  checkRatios(ratios);
  const strata = new Map<string, string[]>();
  for (const group of new Map([...groups].map((g) => [g.id, g])).values()) {
    strata.set(group.stratum, [...(strata.get(group.stratum) ?? []), group.id]);
  }
  const assignment = new Map<string, Split>();
  for (const stratum of [...strata.keys()].sort()) {
    const members = strata.get(stratum)!;
    const targets = apportion(members.length, ratios);
    const pins = { train: 0, val: 0, test: 0 };
    for (const id of members) {
      const split = pinned.get(id);
      if (split) {
        assignment.set(id, split);
        pins[split]++;
      }
    }
    const free = members
      .filter((id) => !pinned.has(id))
      .map((id) => ({ id, value: draw(seed, id) }))
      .sort((a, b) => a.value - b.value || (a.id < b.id ? -1 : 1));
    const needs = { train: Math.max(0, targets.train - pins.train), val: Math.max(0, targets.val - pins.val), test: Math.max(0, targets.test - pins.test) };
    const sizes = apportion(free.length, needs.train + needs.val + needs.test > 0 ? needs : ratios);
    let i = 0;
    for (const split of SPLITS) for (let k = 0; k < sizes[split]; k++) assignment.set(free[i++].id, split);
  }
  return assignment;
}
