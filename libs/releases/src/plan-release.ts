import type { CreateRelease } from '@lesionlab/contracts';
import { burdenBucket, heavier, type BurdenBucket } from './lesion-burden';
import { findNearDuplicates, type NearDuplicatePair } from './near-duplicates';
import { assignSplits, type Split, type SplitGroup } from './patient-split';
import { releaseSupervision, type ReleaseCandidate } from './release-candidates';

export interface ReleasePlan {
  splitOf: Map<string, Split>;
  nearDuplicates: NearDuplicatePair[];
  unknownPatientSlices: number;
}

/** Slices of an unknown patient are a group of their own; all others go with their patient. */
export function groupKey(candidate: Pick<ReleaseCandidate, 'patientUnknown' | 'patientId' | 'sliceId'>): string {
  return candidate.patientUnknown ? `slice:${candidate.sliceId}` : candidate.patientId;
}

class DisjointSets {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(x, root);
    return root;
  }
  union(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

interface GroupFacts {
  labels: Set<string>;
  pixel: boolean;
  burden: BurdenBucket;
}

function stratumOf(facts: GroupFacts, keys: CreateRelease['stratifyBy']): string {
  const label = [...facts.labels].sort().join('+');
  const parts = keys.map((key) => {
    if (key === 'patient-label') return label;
    if (key === 'supervision') return facts.pixel ? 'pixel' : label;
    return facts.burden;
  });
  return parts.join('|') || 'all';
}

/**
 * Decides the split of every slice: whole groups (patients; near-duplicates of different patients
 * joined when asked), stratified, seeded, pinned patients where they were pinned.
 */
export function planRelease(candidates: ReleaseCandidate[], params: CreateRelease): ReleasePlan {
  const pinnedPatient = new Map<string, Split>();
  for (const split of ['train', 'val', 'test'] as const) for (const id of params.pinned[split] ?? []) pinnedPatient.set(id, split);

  const sets = new DisjointSets();
  const pinOf = new Map<string, Split>();
  for (const c of candidates) {
    const pin = pinnedPatient.get(c.patientId);
    if (pin) pinOf.set(groupKey(c), pin);
  }
  const hashed = candidates.filter((c) => c.phash !== null).map((c) => ({ sliceId: c.sliceId, group: groupKey(c), hash: c.phash! }));
  const nearDuplicates = findNearDuplicates(hashed);
  if (params.keepNearDuplicatesTogether) {
    const groupOfSlice = new Map(hashed.map((h) => [h.sliceId, h.group]));
    for (const pair of nearDuplicates) {
      const [a, b] = [sets.find(groupOfSlice.get(pair.a)!), sets.find(groupOfSlice.get(pair.b)!)];
      const [pa, pb] = [pinOf.get(a), pinOf.get(b)];
      if (pa && pb && pa !== pb) continue; // two pins disagree: the pins win, the pair is reported
      sets.union(a, b);
      const root = sets.find(a);
      if (pa ?? pb) pinOf.set(root, (pa ?? pb)!);
    }
  }

  const facts = new Map<string, GroupFacts>();
  for (const c of candidates) {
    const root = sets.find(groupKey(c));
    const f = facts.get(root) ?? { labels: new Set<string>(), pixel: false, burden: 'none' as BurdenBucket };
    f.labels.add(c.label);
    if (releaseSupervision(c) === 'pixel') {
      f.pixel = true;
      f.burden = heavier(f.burden, burdenBucket(c.maskArea ?? 0, c.width, c.height));
    }
    facts.set(root, f);
  }
  const groups: SplitGroup[] = [...facts].map(([id, f]) => ({ id, stratum: stratumOf(f, params.stratifyBy) }));
  const pinnedGroups = new Map([...pinOf].map(([group, split]) => [sets.find(group), split]));
  const groupSplit = assignSplits(groups, params.ratios, params.seed, pinnedGroups);

  const splitOf = new Map(candidates.map((c) => [c.sliceId, groupSplit.get(sets.find(groupKey(c)))!]));
  return { splitOf, nearDuplicates, unknownPatientSlices: candidates.filter((c) => c.patientUnknown).length };
}
