import sharp from 'sharp';
import { DEFAULT_DECODE_LIMITS } from '../../test/hostile-files';
import { PixelWorkers } from './pixel-workers';

describe('PixelWorkers', () => {
  const workers = new PixelWorkers(2);
  const jpeg = (width: number, height: number) => sharp(Buffer.alloc(width * height, 99), { raw: { width, height, channels: 1 } }).toColourspace('b-w').jpeg().toBuffer();

  it('runs tasks on worker threads and hands back Buffers', async () => {
    const results = await Promise.all([jpeg(12, 9), jpeg(30, 20), jpeg(5, 5)].map(async (bytes) => workers.run('decodeImageFile', await bytes, null, DEFAULT_DECODE_LIMITS)));
    expect(results.map((r) => [r.image.width, r.image.height])).toEqual([[12, 9], [30, 20], [5, 5]]);
    for (const { image, encoded } of results) {
      expect(Buffer.isBuffer(image.data) && Buffer.isBuffer(encoded.pixelsPng) && Buffer.isBuffer(encoded.thumbnailPng)).toBe(true);
      expect(typeof encoded.phash).toBe('bigint');
    }
  });

  it('rejects with the error the task threw', async () => {
    await expect(workers.run('decodeImageFile', Buffer.from('no image at all'), null, DEFAULT_DECODE_LIMITS)).rejects.toThrow(/^cannot decode the image: /);
  });
});
