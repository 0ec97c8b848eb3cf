import { PermanentJobError } from '@lesionlab/platform';
import type { ReleaseCandidate } from './release-candidates';

/**
 * The candidates with the patient label this release states for them. A lesion is evidence of
 * disease: a patient nobody labelled whose release uses a mask with any lesion pixel is `covid` here,
 * on every slice (the label is the patient's). An empty mask only says "no lesion on this slice" —
 * a COVID patient has many such slices — so it is no evidence of health: such a patient stays
 * `unknown` and its empty-masked slices teach segmentation only. A lesion on a patient labelled
 * `negative` contradicts the label; the release refuses to guess and names the slice.
 */
export function withReleaseLabels(candidates: ReleaseCandidate[]): ReleaseCandidate[] {
  const lesionOf = new Map<string, ReleaseCandidate>();
  for (const c of candidates) if (c.maskRevisionId && (c.maskArea ?? 0) > 0 && !lesionOf.has(c.patientId)) lesionOf.set(c.patientId, c);
  return candidates.map((c) => {
    const lesion = lesionOf.get(c.patientId);
    if (!lesion) return c;
    if (c.label === 'negative') {
      throw new PermanentJobError(
        `slice ${lesion.sliceId} of patient ${lesion.patientExternalId} (${lesion.collection}) has a lesion mask (revision ${lesion.maskRevisionId}, ${lesion.maskArea} px) but the patient is labelled negative: correct the label or the mask`,
      );
    }
    return c.label === 'unknown' ? { ...c, label: 'covid' } : c;
  });
}
