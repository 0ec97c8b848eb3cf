import type { DerivedMaskFacts } from './lesion-facts';
import { expectationsRead, qualityWarnings, type SliceExpectations } from './quality-warnings';

describe('expectationsRead', () => {
  const facts = (areaPx: number): DerivedMaskFacts =>
    ({ areaPx, lesionCount: areaPx ? 1 : 0, speckCount: 0, minLesionPx: 10, areaMm2: null, lungFieldKnown: false, lesions: [], outsideBodyPx: null });
  const slices: SliceExpectations[] = [false, true].flatMap((negativePatient) => [false, true].map((expectsLesion) => ({ negativePatient, expectsLesion })));

  it('names every part of the slice that changes the warnings, so a save may check only those', () => {
    for (const areaPx of [0, 1, 500]) {
      for (const slice of slices) {
        const read = expectationsRead(facts(areaPx), slice);
        for (const other of slices) {
          const agrees = (Object.keys(read) as Array<keyof SliceExpectations>).every((key) => read[key] === null || read[key] === other[key]);
          if (agrees) expect(qualityWarnings(facts(areaPx), other)).toEqual(qualityWarnings(facts(areaPx), slice));
        }
      }
    }
  });
});
