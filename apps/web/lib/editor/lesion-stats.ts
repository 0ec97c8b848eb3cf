import { BinaryMask, connectedComponents } from '@lesionlab/mask';

export interface LesionStats {
  lesionCount: number;
  areaPx: number;
  /** null when the slice's pixel spacing is unknown. */
  areaMm2: number | null;
  largestLesionPx: number;
  /** Share of the slice covered, 0–1. */
  coverage: number;
}

/** Lesions are the mask's 8-connected components (libs/mask). */
export function lesionStats(mask: BinaryMask, spacingMm: readonly [number, number] | null): LesionStats {
  const { components } = connectedComponents(mask);
  let areaPx = 0;
  let largestLesionPx = 0;
  for (const component of components) {
    areaPx += component.area;
    largestLesionPx = Math.max(largestLesionPx, component.area);
  }
  return {
    lesionCount: components.length,
    areaPx,
    areaMm2: spacingMm ? areaPx * spacingMm[0] * spacingMm[1] : null,
    largestLesionPx,
    coverage: areaPx / (mask.width * mask.height),
  };
}
