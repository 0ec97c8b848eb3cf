import sharp from 'sharp';
import { DEFAULT_DECODE_LIMITS } from '../../test/hostile-files';
import { decodeTo8BitGrey } from './decode-image';

/** What libvips makes of any image: flattened on black, grey, 8 bits. */
async function libvipsGrey(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes).flatten({ background: { r: 0, g: 0, b: 0 } }).greyscale().toColourspace('b-w').raw().toBuffer();
}

describe('decodeTo8BitGrey', () => {
  const [width, height] = [23, 17];
  const grey = Buffer.from(Array.from({ length: width * height }, (_, i) => (i * 37) % 251));
  const greyInput = () => sharp(grey, { raw: { width, height, channels: 1 } }).toColourspace('b-w');
  const raw = (channels: 1 | 2 | 3 | 4) => sharp(Buffer.from(Array.from({ length: width * height * channels }, (_, i) => (i * 53) % 256)), { raw: { width, height, channels } });

  it('decodes grey JPEGs and PNGs (the fast paths) and colour images as libvips does, saying which were converted', async () => {
    const cases: [Buffer, boolean][] = [
      [await greyInput().jpeg().toBuffer(), false],
      [await greyInput().jpeg({ progressive: true }).toBuffer(), false],
      [await greyInput().png().toBuffer(), false],
      [await greyInput().png({ palette: true }).toBuffer(), true], // libvips reads palettes as colour
      [await raw(3).jpeg().toBuffer(), true],
      [await raw(3).png().toBuffer(), true],
      [await raw(2).png().toBuffer(), true],
      [await raw(4).png().toBuffer(), true],
    ];
    for (const [bytes, converted] of cases) {
      const decoded = await decodeTo8BitGrey(bytes, DEFAULT_DECODE_LIMITS);
      expect({ width: decoded.image.width, height: decoded.image.height, converted: decoded.converted }).toEqual({ width, height, converted });
      expect(decoded.image.data.equals(await libvipsGrey(bytes))).toBe(true);
    }
  });

  it('throws on a truncated JPEG', async () => {
    const jpeg = await greyInput().jpeg().toBuffer();
    await expect(decodeTo8BitGrey(jpeg.subarray(0, jpeg.length - 30), DEFAULT_DECODE_LIMITS)).rejects.toThrow();
  });
});
