import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createTestS3Storage } from '../../testing';
import { describeObjectStorageContract, readAll } from './object-storage.contract';
import type { S3ObjectStorage } from './s3-object-storage';

// Against the real S3-compatible server (SeaweedFS) that the jest global setup starts.
describeObjectStorageContract('s3', () => createTestS3Storage());

describe('s3 driver against a real S3 server', () => {
  let storage: S3ObjectStorage;
  beforeAll(async () => {
    storage = await createTestS3Storage(5 * 1024 * 1024);
  });
  afterAll(() => storage.destroy());

  it('uploads a stream in several parts and reads it back byte for byte', async () => {
    const bytes = randomBytes(13 * 1024 * 1024);
    const chunks = Array.from({ length: 13 }, (_, i) => bytes.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    await storage.put('multipart/big.bin', Readable.from(chunks), { contentType: 'application/octet-stream' });
    const back = await readAll(await storage.get('multipart/big.bin'));
    expect(back.length).toBe(bytes.length);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('serves presigned GET and accepts presigned PUT over plain HTTP', async () => {
    const bytes = randomBytes(4096);
    const putUrl = await storage.presignPut('presigned/upload.bin', 60);
    const put = await fetch(putUrl, { method: 'PUT', body: bytes });
    expect(put.status).toBe(200);
    const get = await fetch(await storage.presignGet('presigned/upload.bin', 60));
    expect(get.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await get.arrayBuffer()), bytes)).toBe(0);
  });

  it('keeps the content type it was given', async () => {
    await storage.put('typed/x.png', Buffer.from('not really a png'), { contentType: 'image/png' });
    expect((await storage.head('typed/x.png'))?.contentType).toBe('image/png');
  });
});
