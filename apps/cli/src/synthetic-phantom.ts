import sharp from 'sharp';

/** A filled ellipse test: is (x, y) inside the ellipse centred at (cx, cy) with radii rx, ry? */
function inside(x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return dx * dx + dy * dy <= 1;
}

export interface PhantomSlice {
  image: Buffer;
  /** 0/255 PNG, or null for slices without lesions. */
  mask: Buffer | null;
}

/**
 * A procedural, clearly synthetic chest-CT-like slice (no patient data): body, two lungs, spine,
 * noise, and, when `lesions` > 0, ground-glass blobs in the lungs with their mask.
 * Deterministic in (seed, index).
 */
export async function phantomSlice(size: number, seed: number, index: number, lesions: number): Promise<PhantomSlice> {
  let state = (seed * 7919 + index * 104729) >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % 10000) / 10000;
  };
  const c = size / 2;
  const breathe = 1 + 0.05 * Math.sin(index / 3);
  const blobs = Array.from({ length: lesions }, () => ({
    cx: c + (random() < 0.5 ? -1 : 1) * size * (0.15 + 0.08 * random()),
    cy: c + size * (-0.1 + 0.2 * random()),
    r: size * (0.03 + 0.04 * random()),
  }));
  const image = Buffer.alloc(size * size);
  const mask = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = 0;
      if (inside(x, y, c, c, size * 0.42, size * 0.3)) v = 150;
      const lung = inside(x, y, c - size * 0.18, c - size * 0.02, size * 0.13 * breathe, size * 0.2) || inside(x, y, c + size * 0.18, c - size * 0.02, size * 0.13 * breathe, size * 0.2);
      if (lung) v = 35;
      if (inside(x, y, c, c + size * 0.2, size * 0.05, size * 0.05)) v = 235;
      if (lung && blobs.some((b) => inside(x, y, b.cx, b.cy, b.r, b.r * 0.8))) {
        v = 105;
        mask[y * size + x] = 255;
      }
      image[y * size + x] = v === 0 ? 0 : Math.max(0, Math.min(255, v + Math.round((random() - 0.5) * 16)));
    }
  }
  const png = (data: Buffer) => sharp(data, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer();
  return { image: await png(image), mask: lesions > 0 ? await png(mask) : null };
}
