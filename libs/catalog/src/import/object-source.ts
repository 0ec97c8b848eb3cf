import { readStream } from '../read-stream';
import type { ObjectStorage } from '@lesionlab/platform';
import { assertRelativeInside, SourceRefusedError, type SourceTree } from './source-tree';

/** The objects under a prefix of the platform's object store (an S3 bucket, or uploads). */
export class ObjectSourceTree implements SourceTree {
  readonly description: string;
  private readonly prefix: string;

  constructor(
    private readonly storage: ObjectStorage,
    prefix: string,
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
    return readStream(await this.storage.get(this.prefix + assertRelativeInside(relativePath).join('/')));
  }
}
