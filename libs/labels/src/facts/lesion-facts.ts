import { rleComponents, type RleMask } from '@lesionlab/mask';
import type { LungField } from './lung-field';
import { pixelsOutsideBody } from './outside-body';

/** Components smaller than this are specks (stray brush dabs), not lesions. */
export const MIN_LESION_PX = 10;

export type LungSide = 'left' | 'right';
export type LungThird = 'upper' | 'middle' | 'lower';

export interface LesionFacts {
  areaPx: number;
  areaMm2: number | null;
  boundingBox: { x: number; y: number; width: number; height: number };
  centroid: { x: number; y: number };
  location: { side: LungSide | null; third: LungThird | null };
}

export interface DerivedMaskFacts {
  lesionCount: number;
  speckCount: number;
  minLesionPx: number;
  areaPx: number;
  areaMm2: number | null;
  lungFieldKnown: boolean;
  lesions: LesionFacts[];
  /** Foreground pixels outside the body; null when the lung field (and so the body) is unknown. */
  outsideBodyPx: number | null;
}

/** [row, column] spacing in millimetres, as scans.pixel_spacing_mm holds it. */
export type PixelSpacing = [number, number] | null;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Everything the catalog and the editor show about a mask, derived from its pixels: lesions are the
 * 8-connected components of at least MIN_LESION_PX pixels. A lesion's side follows the radiological
 * convention (the patient's right lung is on the image's left); its third splits the lung field's
 * vertical extent. Without a lung field, locations are null rather than guessed.
 */
export function deriveMaskFacts(mask: RleMask, lungField: LungField | null, spacing: PixelSpacing): DerivedMaskFacts {
  const runs = rleComponents(mask);
  const { count, column, top, bottom, label, components } = runs;
  const sumX = new Float64Array(components.length + 1);
  const sumY = new Float64Array(components.length + 1);
  for (let r = 0; r < count; r++) {
    const length = bottom[r] - top[r];
    sumX[label[r]] += column[r] * length;
    sumY[label[r]] += ((top[r] + bottom[r] - 1) * length) / 2;
  }
  const pixelMm2 = spacing ? spacing[0] * spacing[1] : null;
  const toMm2 = (px: number) => (pixelMm2 === null ? null : round(px * pixelMm2, 2));

  let areaPx = 0;
  let speckCount = 0;
  const lesions: LesionFacts[] = [];
  for (const component of components) {
    areaPx += component.area;
    if (component.area < MIN_LESION_PX) {
      speckCount++;
      continue;
    }
    // Centroid of pixel centres.
    const centroid = { x: round(sumX[component.label] / component.area + 0.5, 1), y: round(sumY[component.label] / component.area + 0.5, 1) };
    lesions.push({
      areaPx: component.area,
      areaMm2: toMm2(component.area),
      boundingBox: component.boundingBox,
      centroid,
      location: lungField ? locate(centroid, lungField) : { side: null, third: null },
    });
  }
  return {
    lesionCount: lesions.length,
    speckCount,
    minLesionPx: MIN_LESION_PX,
    areaPx,
    areaMm2: toMm2(areaPx),
    lungFieldKnown: lungField !== null,
    lesions,
    outsideBodyPx: lungField ? pixelsOutsideBody(runs, lungField.body) : null,
  };
}

function locate(point: { x: number; y: number }, field: LungField): LesionFacts['location'] {
  const side: LungSide = point.x < field.midlineX ? 'right' : 'left';
  const relative = (point.y - field.lungBox.y) / field.lungBox.height;
  const third: LungThird = relative < 1 / 3 ? 'upper' : relative < 2 / 3 ? 'middle' : 'lower';
  return { side, third };
}
