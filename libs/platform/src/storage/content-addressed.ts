import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { ObjectBody, ObjectStorage } from './object-storage';

export interface StoredBlob {
  sha256: string;
  size: number;
  key: string;
  contentType: string;
  /** False when an object with the same content was already there. */
  created: boolean;
}

export function sha256Hex(data: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** blobs/ab/cd/abcd… — two fan-out levels keep directory listings small on the fs driver. */
export function blobKey(sha256: string): string {
  return `blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/**
 * Writes content under its own sha256, once. A buffer is hashed first so a duplicate costs one HEAD;
 * a stream is hashed while it is written to a temporary key, then copied under its hash. A reused
 * object is touched, so the orphan sweep (which spares young objects) never deletes content that a
 * writer is about to record.
 */
export async function putContentAddressed(
  storage: ObjectStorage,
  body: ObjectBody,
  contentType = 'application/octet-stream',
): Promise<StoredBlob> {
  if (!(body instanceof Readable)) {
    const sha256 = sha256Hex(body);
    const key = blobKey(sha256);
    if (await storage.exists(key)) {
      await storage.touch(key);
      return { sha256, size: body.byteLength, key, contentType, created: false };
    }
    await storage.put(key, body, { contentType });
    return { sha256, size: body.byteLength, key, contentType, created: true };
  }
  const hash = createHash('sha256');
  let size = 0;
  const tempKey = `tmp/uploads/${randomUUID()}`;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  body.on('error', (error) => hashing.destroy(error));
  await storage.put(tempKey, body.pipe(hashing), { contentType });
  try {
    const sha256 = hash.digest('hex');
    const key = blobKey(sha256);
    if (await storage.exists(key)) {
      await storage.touch(key);
      return { sha256, size, key, contentType, created: false };
    }
    await storage.put(key, await storage.get(tempKey), { contentType });
    return { sha256, size, key, contentType, created: true };
  } finally {
    await storage.delete(tempKey);
  }
}
