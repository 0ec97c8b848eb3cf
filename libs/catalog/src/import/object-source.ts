import type { ObjectStorage } from '@lesionlab/platform';
import { DecodeLimitError, type DecodeLimits } from '../pixels/decode-limits';
import { assertRelativeInside, SourceRefusedError, type SourceTree } from './source-tree';

/** The objects under a prefix of the platform's object store (an S3 bucket, or uploads); reading stops past IMPORT_MAX_VOLUME_BYTES. */
export class ObjectSourceTree implements SourceTree {
  readonly description: string;
  private readonly prefix: string;

  constructor(
    private readonly storage: ObjectStorage,
    prefix: string,
    private readonly limits: DecodeLimits,
  ) {
    this.prefix = `${assertRelativeInside(prefix).join('/')}/`;
    if (this.prefix.startsWith('blobs/')) throw new SourceRefusedError('the blobs/ prefix holds LesionLab\'s own objects, not a source');
    this.description = `${storage.driver}:${this.prefix}`;
  }

  async listFiles(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of this.storage.list(this.prefix)) keys.push(object.key.slice(this.prefix.length));
    return keys.sort();
  }

  async read(relativePath: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of await this.storage.get(this.prefix + assertRelativeInside(relativePath).join('/'))) {
      length += (chunk as Buffer).length;
      if (length > this.limits.maxVolumeBytes) throw new DecodeLimitError(`the file holds more than IMPORT_MAX_VOLUME_BYTES (${this.limits.maxVolumeBytes}) bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, length);
  }
}
