import fc from 'fast-check';
import { BinaryMask, MaskSize } from '../binary-mask';

/** Sizes up to maxSide, with single rows (1xN) and single columns (Nx1) drawn as often as general sizes. */
export function arbitraryMaskSize(maxSide = 40): fc.Arbitrary<MaskSize> {
  const side = fc.integer({ min: 1, max: maxSide });
  return fc.oneof(
    side.map((width) => ({ width, height: 1 })),
    side.map((height) => ({ width: 1, height })),
    fc.record({ width: side, height: side }),
  );
}

/** Independent pixels, set with probability threshold / 256, so 0 gives an empty mask and 256 a full one. */
function noiseMask({ width, height }: MaskSize): fc.Arbitrary<BinaryMask> {
  const threshold = fc.oneof(fc.constant(0), fc.constant(256), fc.integer({ min: 0, max: 256 }));
  const bytes = fc.uint8Array({ minLength: width * height, maxLength: width * height });
  return fc.tuple(threshold, bytes).map(([limit, random]) => ({
    width,
    height,
    data: random.map((value) => (value < limit ? 1 : 0)),
  }));
}

/** A union of rectangles: long runs and multi-pixel components, like drawn lesions. */
function rectanglesMask({ width, height }: MaskSize): fc.Arbitrary<BinaryMask> {
  const rectangle = fc.record({
    x: fc.integer({ min: 0, max: width - 1 }),
    y: fc.integer({ min: 0, max: height - 1 }),
    w: fc.integer({ min: 1, max: width }),
    h: fc.integer({ min: 1, max: height }),
  });
  return fc.array(rectangle, { maxLength: 6 }).map((rectangles) => {
    const data = new Uint8Array(width * height);
    for (const r of rectangles) {
      for (let y = r.y; y < Math.min(height, r.y + r.h); y++) data.fill(1, y * width + r.x, y * width + Math.min(width, r.x + r.w));
    }
    return { width, height, data };
  });
}

export function arbitraryMaskOfSize(size: MaskSize): fc.Arbitrary<BinaryMask> {
  return fc.oneof(noiseMask(size), rectanglesMask(size));
}

export function arbitraryMask(maxSide = 40): fc.Arbitrary<BinaryMask> {
  return arbitraryMaskSize(maxSide).chain(arbitraryMaskOfSize);
}

/** Two masks of one size. */
export function arbitraryMaskPair(maxSide = 40): fc.Arbitrary<[BinaryMask, BinaryMask]> {
  return arbitraryMaskSize(maxSide).chain((size) => fc.tuple(arbitraryMaskOfSize(size), arbitraryMaskOfSize(size)));
}

/** Builds a mask from a predicate over pixel coordinates. */
export function maskFrom(width: number, height: number, isSet: (x: number, y: number) => boolean): BinaryMask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = isSet(x, y) ? 1 : 0;
  return { width, height, data };
}

/** Builds a mask from rows drawn as strings, '#' for set pixels and '.' for clear ones. */
export function maskFromRows(rows: string[]): BinaryMask {
  return maskFrom(rows[0].length, rows.length, (x, y) => rows[y][x] === '#');
}
