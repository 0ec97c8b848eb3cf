import { assertSameSize, BinaryMask, createEmptyMask } from './binary-mask';
import { connectedComponents } from './components';
import { signedDistance } from './distance-transform';

/** Pixel extent, both ends inclusive. */
interface Extent {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One side (lower or upper slice) of a group of lesions followed together. */
interface Side {
  labels: Int32Array;
  /** member[label] is 1 for the side's lesions. */
  member: Uint8Array;
  extent: Extent;
  cx: number;
  cy: number;
}

/** A signed distance field over a grid placed at (x0, y0) in slice pixels. */
interface Field {
  x0: number;
  y0: number;
  width: number;
  height: number;
  values: Float64Array;
}

interface LesionsOf {
  labels: Int32Array;
  lesions: Array<{ area: number; cx: number; cy: number; extent: Extent }>;
}

/**
 * Shape-based interpolation: the masks of the `count` slices evenly spaced between a masked lower and
 * upper slice (slice k + i of k … k + count + 1 gets t = i / (count + 1)).
 *
 * Each lesion (8-connected component) is followed on its own. Lesions of the two slices that overlap,
 * or whose centroids are closer than the sum of their equivalent-disc radii, are one group (so a lesion
 * that splits or merges stays one group). A group found on both slices is interpolated with its
 * centroids aligned: both signed distance fields are shifted onto the centroid interpolated for t and
 * mixed (1 - t)·lower + t·upper, inside where negative. Aligning makes a moving lesion move instead of
 * fading out in one place and growing in another. A group found on one slice only shrinks to a point
 * at its deepest pixel by the other slice (its distance field raised by t times its depth).
 */
export function interpolateBetween(lower: BinaryMask, upper: BinaryMask, count: number): BinaryMask[] {
  assertSameSize(lower, upper);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`the number of slices between must be a positive integer, got ${count}`);
  const shapes = groupShapes(lower, upper);
  const masks: BinaryMask[] = [];
  for (let i = 1; i <= count; i++) {
    const mask = createEmptyMask(lower.width, lower.height);
    for (const draw of shapes) draw(i / (count + 1), mask);
    masks.push(mask);
  }
  return masks;
}

/** For every group of lesions, a function that adds its shape at t to a mask. */
function groupShapes(lower: BinaryMask, upper: BinaryMask): Array<(t: number, into: BinaryMask) => void> {
  const a = lesionsOf(lower);
  const b = lesionsOf(upper);
  const groups = groupLesions(a, b);
  return groups.map(({ fromLower, fromUpper }) => {
    const below = fromLower.length ? side(a, fromLower) : null;
    const above = fromUpper.length ? side(b, fromUpper) : null;
    if (below && above) return pairedShape(below, above);
    const only = (below ?? above)!;
    return vanishingShape(only, below ? (t) => t : (t) => 1 - t);
  });
}

function lesionsOf(mask: BinaryMask): LesionsOf {
  const { labels, components } = connectedComponents(mask);
  const sums = components.map(() => ({ x: 0, y: 0 }));
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      const label = labels[y * mask.width + x];
      if (label === 0) continue;
      sums[label - 1].x += x;
      sums[label - 1].y += y;
    }
  }
  const lesions = components.map(({ area, boundingBox: box }, i) => ({
    area,
    cx: sums[i].x / area,
    cy: sums[i].y / area,
    extent: { x0: box.x, y0: box.y, x1: box.x + box.width - 1, y1: box.y + box.height - 1 },
  }));
  return { labels, lesions };
}

/** Union-find over the lesions of both slices (upper ones after the lower ones), joined as interpolateBetween says. */
function groupLesions(a: LesionsOf, b: LesionsOf): Array<{ fromLower: number[]; fromUpper: number[] }> {
  const lowerCount = a.lesions.length;
  const parent = Array.from({ length: lowerCount + b.lesions.length }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const join = (i: number, j: number) => {
    const [ri, rj] = [find(i), find(j)];
    if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
  };
  for (let p = 0; p < a.labels.length; p++) {
    if (a.labels[p] && b.labels[p]) join(a.labels[p] - 1, lowerCount + b.labels[p] - 1);
  }
  a.lesions.forEach((la, i) => {
    const ra = Math.sqrt(la.area / Math.PI);
    b.lesions.forEach((lb, j) => {
      const reach = ra + Math.sqrt(lb.area / Math.PI);
      if ((la.cx - lb.cx) ** 2 + (la.cy - lb.cy) ** 2 <= reach * reach) join(i, lowerCount + j);
    });
  });
  const groups = new Map<number, { fromLower: number[]; fromUpper: number[] }>();
  parent.forEach((_, i) => {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, { fromLower: [], fromUpper: [] });
    if (i < lowerCount) groups.get(root)!.fromLower.push(i + 1);
    else groups.get(root)!.fromUpper.push(i - lowerCount + 1);
  });
  return [...groups.values()];
}

/** The side of a group made of the given lesion labels: extent and area-weighted centroid. */
function side({ labels, lesions }: LesionsOf, members: number[]): Side {
  const member = new Uint8Array(lesions.length + 1);
  const extent = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (const label of members) {
    const lesion = lesions[label - 1];
    member[label] = 1;
    area += lesion.area;
    sx += lesion.cx * lesion.area;
    sy += lesion.cy * lesion.area;
    extent.x0 = Math.min(extent.x0, lesion.extent.x0);
    extent.y0 = Math.min(extent.y0, lesion.extent.y0);
    extent.x1 = Math.max(extent.x1, lesion.extent.x1);
    extent.y1 = Math.max(extent.y1, lesion.extent.y1);
  }
  return { labels, member, extent, cx: sx / area, cy: sy / area };
}

/**
 * The signed distance of a side's lesions over a grid covering `extent` (slice pixels, may reach past
 * the slice: those pixels count as outside). The grid keeps a pixel of background all round, so the
 * distances inside are those of the whole slice.
 */
function fieldOf(s: Side, sliceWidth: number, sliceHeight: number, extent: Extent): Field {
  const x0 = Math.floor(extent.x0) - 1;
  const y0 = Math.floor(extent.y0) - 1;
  const width = Math.ceil(extent.x1) + 1 - x0 + 1;
  const height = Math.ceil(extent.y1) + 1 - y0 + 1;
  const data = new Uint8Array(width * height);
  const fromX = Math.max(0, s.extent.x0);
  const toX = Math.min(sliceWidth - 1, s.extent.x1);
  for (let y = Math.max(0, s.extent.y0); y <= Math.min(sliceHeight - 1, s.extent.y1); y++) {
    for (let x = fromX; x <= toX; x++) {
      if (s.member[s.labels[y * sliceWidth + x]]) data[(y - y0) * width + (x - x0)] = 1;
    }
  }
  return { x0, y0, width, height, values: signedDistance({ width, height, data }) };
}

/** Bilinear value of the field at (x, y) in slice pixels; +Infinity (outside) off its grid. */
function sample(field: Field, x: number, y: number): number {
  const gx = x - field.x0;
  const gy = y - field.y0;
  const ix = Math.floor(gx);
  const iy = Math.floor(gy);
  if (ix < 0 || iy < 0 || ix >= field.width || iy >= field.height) return Infinity;
  const fx = gx - ix;
  const fy = gy - iy;
  const ix1 = fx > 0 ? Math.min(ix + 1, field.width - 1) : ix;
  const iy1 = fy > 0 ? Math.min(iy + 1, field.height - 1) : iy;
  const { values, width } = field;
  const top = values[iy * width + ix] * (1 - fx) + (fx > 0 ? values[iy * width + ix1] * fx : 0);
  const bottom = values[iy1 * width + ix] * (1 - fx) + (fx > 0 ? values[iy1 * width + ix1] * fx : 0);
  return fy > 0 ? top * (1 - fy) + bottom * fy : top;
}

/** A group on both slices: fields mixed with both centroids moved onto the interpolated one. */
function pairedShape(below: Side, above: Side): (t: number, into: BinaryMask) => void {
  // The shape at any t lies where one of the aligned fields is negative: inside the union of both
  // extents taken relative to their centroids (one pixel more for the bilinear blend).
  const relative: Extent = {
    x0: Math.min(below.extent.x0 - below.cx, above.extent.x0 - above.cx) - 1,
    y0: Math.min(below.extent.y0 - below.cy, above.extent.y0 - above.cy) - 1,
    x1: Math.max(below.extent.x1 - below.cx, above.extent.x1 - above.cx) + 1,
    y1: Math.max(below.extent.y1 - below.cy, above.extent.y1 - above.cy) + 1,
  };
  const around = (s: Side): Extent => ({ x0: s.cx + relative.x0, y0: s.cy + relative.y0, x1: s.cx + relative.x1, y1: s.cy + relative.y1 });
  let fields: { lower: Field; upper: Field } | null = null;
  return (t, into) => {
    fields ??= { lower: fieldOf(below, into.width, into.height, around(below)), upper: fieldOf(above, into.width, into.height, around(above)) };
    const cx = below.cx + t * (above.cx - below.cx);
    const cy = below.cy + t * (above.cy - below.cy);
    const { width, height, data } = into;
    for (let y = Math.max(0, Math.ceil(cy + relative.y0)); y <= Math.min(height - 1, Math.floor(cy + relative.y1)); y++) {
      for (let x = Math.max(0, Math.ceil(cx + relative.x0)); x <= Math.min(width - 1, Math.floor(cx + relative.x1)); x++) {
        const dx = x - cx;
        const dy = y - cy;
        const value = (1 - t) * sample(fields.lower, below.cx + dx, below.cy + dy) + t * sample(fields.upper, above.cx + dx, above.cy + dy);
        if (value < 0) data[y * width + x] = 1;
      }
    }
  };
}

/** A group on one slice only: eroded as `progress(t)` goes from 0 (all of it) to 1 (nothing left). */
function vanishingShape(only: Side, progress: (t: number) => number): (t: number, into: BinaryMask) => void {
  let field: Field | null = null;
  let depth = 0;
  return (t, into) => {
    if (!field) {
      field = fieldOf(only, into.width, into.height, only.extent);
      for (const value of field.values) depth = Math.max(depth, -value);
    }
    const rise = progress(t) * depth;
    const { width, data } = into;
    for (let y = only.extent.y0; y <= only.extent.y1; y++) {
      for (let x = only.extent.x0; x <= only.extent.x1; x++) {
        if (field.values[(y - field.y0) * field.width + (x - field.x0)] + rise < 0) data[y * width + x] = 1;
      }
    }
  };
}
