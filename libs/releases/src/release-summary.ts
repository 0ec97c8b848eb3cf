import type { ReleaseSummary, SplitName } from '@lesionlab/contracts';
import { BURDEN_BUCKETS, burdenBucket } from './lesion-burden';
import type { NearDuplicatePair } from './near-duplicates';
import type { ReleaseCandidate } from './release-candidates';
import { releaseSupervision } from './release-candidates';
import type { ReleasePlan } from './plan-release';

const MAX_EXAMPLES = 20;

function emptySplit(): ReleaseSummary['splits']['train'] {
  return {
    patients: 0,
    slices: 0,
    slicesBySupervision: { pixel: 0, patient: 0, negative: 0, none: 0 },
    patientsByLabel: { covid: 0, negative: 0, unknown: 0 },
    lesionBurden: Object.fromEntries(BURDEN_BUCKETS.filter((b) => b !== 'none').map((b) => [b, 0])),
  };
}

/** Per-split counts of patients and slices by supervision, lesion-burden histograms, near-duplicates. */
export function summarizeRelease(candidates: ReleaseCandidate[], plan: ReleasePlan): ReleaseSummary {
  const splits = { train: emptySplit(), val: emptySplit(), test: emptySplit() };
  const patientsSeen = new Set<string>();
  for (const c of candidates) {
    const split = splits[plan.splitOf.get(c.sliceId)!];
    split.slices++;
    const supervision = releaseSupervision(c);
    split.slicesBySupervision[supervision]++;
    if (supervision === 'pixel') {
      const bucket = burdenBucket(c.maskArea ?? 0, c.width, c.height);
      if (bucket !== 'none') split.lesionBurden[bucket]++;
    }
    const patientKey = c.patientUnknown ? `slice:${c.sliceId}` : c.patientId;
    if (!patientsSeen.has(patientKey)) {
      patientsSeen.add(patientKey);
      split.patients++;
      split.patientsByLabel[c.label]++;
    }
  }
  const crossSplit = plan.nearDuplicates.filter((p) => plan.splitOf.get(p.a) !== plan.splitOf.get(p.b));
  const example = (p: NearDuplicatePair) => ({ ...p, splits: [plan.splitOf.get(p.a)!, plan.splitOf.get(p.b)!] as [SplitName, SplitName] });
  return {
    slices: candidates.length,
    patients: patientsSeen.size,
    unknownPatientSlices: plan.unknownPatientSlices,
    splits,
    nearDuplicates: {
      pairs: plan.nearDuplicates.length,
      crossSplitPairs: crossSplit.length,
      examples: [...crossSplit, ...plan.nearDuplicates.filter((p) => !crossSplit.includes(p))].slice(0, MAX_EXAMPLES).map(example),
    },
  };
}
