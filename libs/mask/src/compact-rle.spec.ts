import fc from 'fast-check';
import { decodeCompactMask, encodeCompactMask } from './compact-rle';
import { MaskFormatError } from './errors';
import { arbitraryMask, maskFrom, maskFromRows } from './testing/arbitrary-mask';

const HEADER = [0x4c, 0x4c, 0x4d, 0x4b, 0x01];

describe('compact mask form', () => {
  it('writes the header, then row-major runs starting with zeros', () => {
    // "##." / "..#": row-major 1,1,0,0,0,1 -> runs 0,2,3,1.
    const bytes = encodeCompactMask(maskFromRows(['##.', '..#']));
    expect(Array.from(bytes)).toEqual([...HEADER, 3, 2, 4, 0, 2, 3, 1]);
  });

  it('writes values of 128 and more as several LEB128 bytes', () => {
    // 300 = 2 * 128 + 44: 0xac (44 | 0x80), then 0x02.
    const bytes = encodeCompactMask(maskFrom(300, 1, () => false));
    expect(Array.from(bytes)).toEqual([...HEADER, 0xac, 0x02, 1, 1, 0xac, 0x02]);
  });

  it('decodes what it encodes', () => {
    fc.assert(fc.property(arbitraryMask(), (mask) => expect(decodeCompactMask(encodeCompactMask(mask))).toEqual(mask)));
  });

  it('rejects every truncation of a valid encoding', () => {
    fc.assert(
      fc.property(arbitraryMask(12), (mask) => {
        const bytes = encodeCompactMask(mask);
        for (let length = 0; length < bytes.length; length++) {
          expect(() => decodeCompactMask(bytes.subarray(0, length))).toThrow(MaskFormatError);
        }
      }),
    );
  });

  it('answers random bytes after a valid header with MaskFormatError and nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (tail) => {
        try {
          decodeCompactMask(Uint8Array.from([...HEADER, ...tail]));
        } catch (error) {
          expect(error).toBeInstanceOf(MaskFormatError);
        }
      }),
    );
  });

  const rejects = (bytes: number[], message: RegExp, expected?: { width: number; height: number }) => {
    const run = () => decodeCompactMask(Uint8Array.from(bytes), expected);
    expect(run).toThrow(MaskFormatError);
    expect(run).toThrow(message);
  };

  it('names what is wrong with malformed input', () => {
    rejects([], /magic/);
    rejects([0x89, 0x50, 0x4e, 0x47, 1, 3, 2, 4, 0, 2, 3, 1], /magic/);
    rejects([0x4c, 0x4c, 0x4d, 0x4b, 2, 3, 2, 4, 0, 2, 3, 1], /version 2 is not supported/);
    rejects([...HEADER, 3, 2, 4, 0, 2, 3], /truncated: run 3 at byte 11/);
    rejects([...HEADER, 0x83], /truncated: width/);
    rejects([...HEADER, 3, 2, 4, 0, 2, 3, 1, 0], /1 unexpected trailing bytes/);
    rejects([...HEADER, 3, 2, 4, 0, 2, 3, 2], /exceed the mask area 6 at run 3/);
    rejects([...HEADER, 3, 2, 3, 0, 2, 3], /sum to 5, expected 6/);
    rejects([...HEADER, 3, 2, 4, 1, 0, 4, 1], /empty run 1/);
    rejects([...HEADER, 0, 2, 1, 0], /positive integers/);
    rejects([...HEADER, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 1, 0], /above 2\^31 - 1/);
    rejects([...HEADER, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], /over-long varint for width/);
    rejects([...HEADER, 3, 2, 9, 6], /9 runs, impossible for 6 pixels/);
  });

  it('checks the size against the expected one before reading the runs', () => {
    rejects([...HEADER, 3, 2, 4, 0, 2, 3, 1], /is 3x2, expected 512x512/, { width: 512, height: 512 });
    expect(decodeCompactMask(encodeCompactMask(maskFromRows(['##.'])), { width: 3, height: 1 }).data).toEqual(Uint8Array.of(1, 1, 0));
  });
});
