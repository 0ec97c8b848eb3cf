import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { blobKey, decodeGreyPng, OBJECT_STORAGE, type ObjectStorage, readStream } from '@lesionlab/platform';

/** Reads a slice's stored blobs back: raw little-endian pixels (from the PNG) and the thumbnail. */
@Injectable()
export class SlicePixelsService {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async rawPixels(pixelBlob: string, bitDepth: 8 | 16): Promise<Buffer> {
    return decodeGreyPng(await readStream(await this.storage.get(blobKey(pixelBlob))), bitDepth);
  }

  async blob(sha256: string): Promise<Readable> {
    return this.storage.get(blobKey(sha256));
  }

  /** A presigned URL with the S3 driver; null with the fs driver (the API serves the bytes itself). */
  async presigned(sha256: string): Promise<string | null> {
    return this.storage.driver === 's3' ? this.storage.presignGet(blobKey(sha256)) : null;
  }
}
