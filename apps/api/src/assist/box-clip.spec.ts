import { maskFromData } from '@lesionlab/mask';
import { clipToBox } from './box-clip';

const full = (width: number, height: number) => maskFromData(width, height, new Uint8Array(width * height).fill(1));
const kept = (mask: { width: number; data: Uint8Array }) => {
  const extent = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, count: 0 };
  mask.data.forEach((v, i) => {
    if (!v) return;
    const [x, y] = [i % mask.width, Math.floor(i / mask.width)];
    Object.assign(extent, { x0: Math.min(extent.x0, x), y0: Math.min(extent.y0, y), x1: Math.max(extent.x1, x), y1: Math.max(extent.y1, y), count: extent.count + 1 });
  });
  return extent;
};

describe('clipToBox: a draft keeps only the pixels of its own box', () => {
  it('keeps the first and last pixel of a box given in slice pixels, through the 256-px frame and back', () => {
    // A 512² slice: slice box [100, 40, 139, 59] is [50, 20, 69.5, 29.5] in the frame.
    const mask = clipToBox(full(512, 512), Float32Array.of(50, 20, 69.5, 29.5), 256, { width: 512, height: 512 });
    expect(kept(mask)).toEqual({ x0: 100, y0: 40, x1: 139, y1: 59, count: 40 * 20 });
  });

  it('survives float32 rounding of a non-square slice (630x400 scaled to 256)', () => {
    const [width, height] = [630, 400];
    const box = Float32Array.of((17 * 256) / width, (3 * 256) / height, (601 * 256) / width, (399 * 256) / height);
    expect(kept(clipToBox(full(width, height), box, 256, { width, height }))).toEqual({ x0: 17, y0: 3, x1: 601, y1: 399, count: 585 * 397 });
  });

  it('keeps the partly covered pixels of a box with fractional edges, and clears everything outside', () => {
    const mask = clipToBox(full(64, 64), Float32Array.of(10.25, 0, 20.75, 64), 64, { width: 64, height: 64 });
    expect(kept(mask)).toEqual({ x0: 10, y0: 0, x1: 21, y1: 63, count: 12 * 64 });
  });
});
