import type { QualityWarning } from '@lesionlab/contracts';
import type { DerivedMaskFacts } from './lesion-facts';

/** Foreground outside the body is tolerated up to this many pixels (a brush edge grazing the skin). */
export const OUTSIDE_BODY_TOLERANCE_PX = 20;

export interface SliceExpectations {
  /** The patient's label is negative: a lesion there is suspicious. */
  negativePatient: boolean;
  /** An accepted non-empty mask or an accepted "opacification present" label exists. */
  expectsLesion: boolean;
}

/** Some of a slice's expectations; null: left out. */
export type PartialExpectations = { [K in keyof SliceExpectations]: boolean | null };

/**
 * The parts of `slice` that qualityWarnings reads for these facts (null: not read): a save checks
 * only these against the locked slice. Keep in step with qualityWarnings (its spec checks it).
 */
export function expectationsRead(facts: Pick<DerivedMaskFacts, 'areaPx'>, slice: SliceExpectations): PartialExpectations {
  return { negativePatient: facts.areaPx > 0 ? slice.negativePatient : null, expectsLesion: facts.areaPx === 0 ? slice.expectsLesion : null };
}

/** Warnings a reviewer should see beside a mask; none of them blocks a save. */
export function qualityWarnings(facts: DerivedMaskFacts, slice: SliceExpectations): QualityWarning[] {
  const warnings: QualityWarning[] = [];
  if (facts.areaPx > 0 && slice.negativePatient) {
    warnings.push({ code: 'negative-patient', message: `mask of ${facts.areaPx} px on a slice of a patient labelled negative` });
  }
  if (facts.outsideBodyPx !== null && facts.outsideBodyPx > OUTSIDE_BODY_TOLERANCE_PX) {
    warnings.push({ code: 'outside-body', message: `${facts.outsideBodyPx} px of the mask lie outside the body` });
  }
  if (facts.speckCount > 0) {
    warnings.push({ code: 'specks', message: `${facts.speckCount} component(s) below ${facts.minLesionPx} px (specks)` });
  }
  if (facts.areaPx === 0 && slice.expectsLesion) {
    warnings.push({ code: 'empty-mask', message: 'empty mask on a slice whose accepted label shows opacification' });
  }
  return warnings;
}
