import { connectedComponents, type BoundingBox, type BinaryMask } from '@lesionlab/mask';

/** A slice's intensities, row-major, in any unit (thresholds are found from the histogram). */
export interface SliceIntensities {
  width: number;
  height: number;
  values: Float32Array;
}

/**
 * The lung field as estimated from the slice itself:
 * - `body`: everything that is not air connected to the image border (the patient, lungs included);
 * - `lungBox`: the bounding box of the air pockets inside the body that are large enough to be lungs;
 * - `midlineX`: the column between the two lungs (the middle of lungBox).
 */
export interface LungField {
  body: BinaryMask;
  lungBox: BoundingBox;
  midlineX: number;
}

const HISTOGRAM_BINS = 256;
/** An enclosed air pocket counts as lung when it holds at least this share of the image. */
const MIN_LUNG_SHARE = 0.005;

/** Otsu's threshold: the intensity that best separates the histogram into two classes. */
export function otsuThreshold(values: Float32Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return max;
  const scale = (HISTOGRAM_BINS - 1) / (max - min);
  const histogram = new Float64Array(HISTOGRAM_BINS);
  for (let i = 0; i < values.length; i++) histogram[Math.round((values[i] - min) * scale)]++;
  let total = 0;
  for (let i = 0; i < HISTOGRAM_BINS; i++) total += i * histogram[i];
  let below = 0;
  let belowSum = 0;
  let best = 0;
  let bestVariance = -1;
  for (let t = 0; t < HISTOGRAM_BINS; t++) {
    below += histogram[t];
    if (below === 0) continue;
    const above = values.length - below;
    if (above === 0) break;
    belowSum += t * histogram[t];
    const meanBelow = belowSum / below;
    const meanAbove = (total - belowSum) / above;
    const variance = below * above * (meanBelow - meanAbove) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
    }
  }
  return min + (best + 0.5) / scale;
}

/**
 * Thresholds air from tissue, then splits the air into outside (touching the border) and enclosed
 * pockets; the large pockets are the lungs. Returns null when the slice shows no such pockets
 * (not a chest slice, a blank image, a crop without a body outline).
 */
export function estimateLungField(slice: SliceIntensities): LungField | null {
  const { width, height, values } = slice;
  const threshold = otsuThreshold(values);
  const air = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) air[i] = values[i] <= threshold ? 1 : 0;
  const { labels, components } = connectedComponents({ width, height, data: air });

  const outside = new Uint8Array(components.length + 1);
  const markBorder = (index: number) => (outside[labels[index]] = 1);
  for (let x = 0; x < width; x++) {
    markBorder(x);
    markBorder((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    markBorder(y * width);
    markBorder(y * width + width - 1);
  }
  outside[0] = 0;

  const minLungArea = MIN_LUNG_SHARE * width * height;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (const c of components) {
    if (outside[c.label] || c.area < minLungArea) continue;
    const box = c.boundingBox;
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width - 1);
    maxY = Math.max(maxY, box.y + box.height - 1);
  }
  if (maxX < 0) return null;

  const body = new Uint8Array(values.length);
  for (let i = 0; i < body.length; i++) body[i] = outside[labels[i]] ? 0 : 1;
  const lungBox = { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
  return { body: { width, height, data: body }, lungBox, midlineX: minX + lungBox.width / 2 };
}
