import fc from 'fast-check';
import { maskArea } from './binary-mask';
import {
  cocoStringToCounts,
  countsToCocoString,
  decodeCocoRle,
  decodeRleCounts,
  encodeCocoRle,
  encodeRleCounts,
  encodeUncompressedCocoRle,
  parseCocoRle,
} from './coco-rle';
import { MaskFormatError } from './errors';
import { arbitraryMask, maskFrom, maskFromRows } from './testing/arbitrary-mask';

/** Reference: reads the mask column by column into a plain array, then counts runs starting with zeros. */
function naiveColumnMajorCounts(mask: { width: number; height: number; data: Uint8Array }): number[] {
  const pixels: number[] = [];
  for (let x = 0; x < mask.width; x++) for (let y = 0; y < mask.height; y++) pixels.push(mask.data[y * mask.width + x]);
  const counts = [0];
  let value = 0;
  for (const pixel of pixels) {
    if (pixel !== value) {
      counts.push(0);
      value = pixel;
    }
    counts[counts.length - 1]++;
  }
  return counts;
}

const stripes37x23 = maskFrom(37, 23, (x, y) => (x * 7 + y * 13) % 11 < 4);
const ellipses300x200 = maskFrom(300, 200, (x, y) => {
  const dx = (x - 100) / 60;
  const dy = (y - 80) / 40;
  const ex = (x - 220) / 30;
  const ey = (y - 150) / 25;
  return dx * dx + dy * dy <= 1 || ex * ex + ey * ey <= 1;
});
const column70000 = maskFrom(1, 70000, (_x, y) => y >= 33000 && y < 33100);

describe('COCO RLE, derived by hand', () => {
  it('encodes a 3x3 mask with its centre pixel set', () => {
    const mask = maskFromRows(['...', '.#.', '...']);
    expect(encodeRleCounts(mask)).toEqual([4, 1, 4]);
    expect(encodeCocoRle(mask)).toEqual({ size: [3, 3], counts: '414' });
  });

  it('starts the counts of a full mask with an empty run of zeros', () => {
    expect(encodeCocoRle(maskFromRows(['###', '###', '###']))).toEqual({ size: [3, 3], counts: '09' });
  });

  it('encodes an empty mask as one run', () => {
    expect(encodeCocoRle(maskFromRows(['...', '...', '...']))).toEqual({ size: [3, 3], counts: '9' });
  });

  it('reads column by column, not row by row', () => {
    // Rows "##." / "..." : column-major 1,0,1,0,0,0 -> counts 0,1,1,1,3.
    const mask = maskFromRows(['##.', '...']);
    expect(encodeUncompressedCocoRle(mask)).toEqual({ size: [2, 3], counts: [0, 1, 1, 1, 3] });
  });

  it('writes values of 16 and more over several characters', () => {
    // 20 = 0b10100: low 5 bits 0x14 have the sign bit 0x10, so a 0 character follows: (0x14|0x20)+48 = 'd', then '0'.
    expect(countsToCocoString([20])).toBe('d0');
    expect(countsToCocoString([16])).toBe('`0');
    expect(countsToCocoString([15])).toBe('?');
  });

  it('writes counts[2] as is and only later counts as deltas (index > 2)', () => {
    // 40 pixels in one row, 20..29 set: counts 20,10,10. A delta at index 2 would give 10-20 = -10 = 'F'.
    const mask = maskFrom(40, 1, (x) => x >= 20 && x < 30);
    expect(encodeCocoRle(mask).counts).toBe('d0::');
    // counts[3] = 2 is written as 2 - counts[1] = -1: 0x1f with the sign bit and no more characters -> 'O'.
    expect(countsToCocoString([1, 3, 5, 2])).toBe('135O');
    expect(cocoStringToCounts('135O')).toEqual([1, 3, 5, 2]);
  });
});

describe('COCO RLE, vectors produced by pycocotools 2.0 (mask.encode on Fortran-ordered uint8 arrays)', () => {
  const vectors = [
    { name: '3x3 centre pixel', mask: maskFromRows(['...', '.#.', '...']), size: [3, 3], counts: '414' },
    { name: '1x40 run', mask: maskFrom(40, 1, (x) => x >= 20 && x < 30), size: [1, 40], counts: 'd0::' },
    {
      name: '4x5 literal',
      mask: maskFromRows(['#..##', '.#.#.', '.##..', '##..#']),
      size: [4, 5],
      counts: '0120O21NO11O00',
    },
    {
      name: '37x23 stripes, (x*7 + y*13) % 11 < 4',
      mask: stripes37x23,
      size: [23, 37],
      counts:
        '0240O010OOO120O010NO1110O010M02010O040L010O0OO21O010O0N030O01020N0O010M02010O01ON11010O040L010O0N030O010OOO120O010NO1110O010M02010O040L010O0OO21O010O0N030O01020N0O010M02010O01ON11010O040L010O0N030O010OOO120O010NO1110O010M02010O040L010O0OO21O010O0N030O01020N0O010M02010O01ON11010O040L010O0N030O010OOO120O010NO1110O010M02010O01',
    },
    {
      name: '300x200 two ellipses',
      mask: ellipses300x200,
      size: [200, 300],
      counts:
        '`l71P6>F6K4L4M2M4M2N2M4M2N2N2O0O2N2N2O0O2N2O0O2O0O2N2O000O2O0O2O0O2O000O2O00000O2O00000O2O0000000O2O00000000000000000000000O20N1000000000000000000000001N100000001N1000001N1000001N10001N101N101N10001N2N101N101N2N101N2N2N101N2N2N3L3N2N3L3N3L4L5J:Beg50\\XJ<H4L4L4M2M4M2O0O2N2N2N2O0O2O0O2O000O2O000O2O0000000000000O20N100000000000001N10001N10001N101N101N2N2N2N101N3L3N3L4L4L8Dh]9',
    },
    { name: '70000x1 with a run of 100', mask: column70000, size: [70000, 1], counts: 'XWP1T3TQT1' },
  ];

  it.each(vectors)('encodes $name exactly as pycocotools does', ({ mask, size, counts }) => {
    expect(encodeCocoRle(mask)).toEqual({ size, counts });
  });

  it.each(vectors)('decodes pycocotools\' string for $name', ({ mask, size, counts }) => {
    expect(decodeCocoRle({ size, counts })).toEqual(mask);
  });

  it('agrees with pycocotools on the area of the ellipses (mask.area = 9876)', () => {
    expect(maskArea(ellipses300x200)).toBe(9876);
  });

  it('decodes a string with an empty inner run and negative deltas (frPyObjects of [0,1,3,1,1,2,2,3,0,1,6])', () => {
    expect(cocoStringToCounts('0130N111NN6')).toEqual([0, 1, 3, 1, 1, 2, 2, 3, 0, 1, 6]);
    expect(decodeCocoRle({ size: [4, 5], counts: '0130N111NN6' })).toEqual(
      decodeRleCounts([0, 1, 3, 1, 1, 2, 2, 3, 0, 1, 6], 5, 4),
    );
  });
});

describe('COCO RLE properties', () => {
  it('counts runs of the column-major pixel order', () => {
    fc.assert(fc.property(arbitraryMask(), (mask) => expect(encodeRleCounts(mask)).toEqual(naiveColumnMajorCounts(mask))));
  });

  it('decodes what it encodes, as a string and as plain counts', () => {
    fc.assert(
      fc.property(arbitraryMask(), (mask) => {
        expect(decodeCocoRle(encodeCocoRle(mask))).toEqual(mask);
        expect(decodeCocoRle(encodeUncompressedCocoRle(mask))).toEqual(mask);
      }),
    );
  });

  it('round-trips any count sequence through the string, up to 2^31 - 1', () => {
    const count = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 0x7fffffff }));
    const counts = fc.tuple(fc.nat({ max: 3 }), fc.array(count, { maxLength: 30 })).map(([first, rest]) => [first, ...rest]);
    fc.assert(fc.property(counts, (values) => expect(cocoStringToCounts(countsToCocoString(values))).toEqual(values)));
  });
});

describe('COCO RLE validation', () => {
  const expectFormatError = (run: () => unknown, message: RegExp) => {
    expect(run).toThrow(MaskFormatError);
    expect(run).toThrow(message);
  };

  it('rejects counts that do not cover the mask exactly', () => {
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: '413' }), /sum to 8, expected 9/);
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: '415' }), /exceed the mask area 9/);
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: [4, 1, 3] }), /sum to 8, expected 9/);
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: '' }), /sum to 0, expected 9/);
  });

  it('rejects characters outside the alphabet, truncated and over-long values', () => {
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: '41 4' }), /invalid character " " at position 2/);
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: '41p' }), /invalid character "p"/);
    // 'd' has the continuation bit set and nothing follows it.
    expectFormatError(() => decodeCocoRle({ size: [1, 40], counts: 'd0::d' }), /truncated/);
    expectFormatError(() => cocoStringToCounts('oooooooo0'), /longer than 7 characters/);
  });

  it('rejects counts that decode to negative run lengths', () => {
    // 'O' is -1 and at index 0 no earlier count is added to it.
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: 'O' }), /negative count -1 at count 0/);
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: [4, -1, 6] }), /count 1 must be a non-negative integer/);
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: [4, 1.5, 3.5] }), /count 1 must be a non-negative integer/);
  });

  it('rejects malformed objects and sizes', () => {
    expectFormatError(() => decodeCocoRle(null), /must be an object/);
    expectFormatError(() => decodeCocoRle({ counts: '9' }), /size must be an array/);
    expectFormatError(() => decodeCocoRle({ size: [3], counts: '9' }), /size must be an array/);
    expectFormatError(() => decodeCocoRle({ size: ['3', 3], counts: '9' }), /two numbers/);
    expectFormatError(() => decodeCocoRle({ size: [0, 3], counts: '' }), /positive integers/);
    expectFormatError(() => decodeCocoRle({ size: [3, 2.5], counts: '9' }), /positive integers/);
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: 9 }), /counts must be a string or an array/);
  });

  it('checks without decoding: parseCocoRle gives the counts, and refuses what decodeCocoRle refuses', () => {
    fc.assert(fc.property(arbitraryMask(), (mask) => expect(parseCocoRle(encodeCocoRle(mask))).toEqual({ width: mask.width, height: mask.height, counts: encodeRleCounts(mask) })));
    expectFormatError(() => parseCocoRle({ size: [3, 3], counts: '413' }), /sum to 8, expected 9/);
    expectFormatError(() => parseCocoRle({ size: [3, 3], counts: '9' }, { width: 512, height: 512 }), /\[3, 3\], expected \[512, 512\]/);
  });

  it('rejects a size other than the expected one, naming both', () => {
    expectFormatError(() => decodeCocoRle({ size: [3, 3], counts: '9' }, { width: 512, height: 512 }), /\[3, 3\], expected \[512, 512\]/);
    expect(decodeCocoRle({ size: [2, 3], counts: '6' }, { width: 3, height: 2 }).width).toBe(3);
  });
});
