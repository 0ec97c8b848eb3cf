import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidKey,
  ObjectNotFoundError,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStorage,
} from './object-storage';
import type { UrlSigner } from './url-signer';

const TEMP_DIR = '.incoming';

/** Objects as files under one root. Writes go to a temporary file and are renamed into place. */
export class FsObjectStorage implements ObjectStorage {
  readonly driver = 'fs' as const;

  constructor(
    private readonly root: string,
    private readonly signer: UrlSigner,
    private readonly defaultExpiresIn: number,
  ) {}

  async put(key: string, body: ObjectBody): Promise<ObjectInfo> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(path.join(this.root, TEMP_DIR), { recursive: true });
    const temp = path.join(this.root, TEMP_DIR, randomUUID());
    try {
      if (body instanceof Readable) await pipeline(body, createWriteStream(temp));
      else await fs.writeFile(temp, body);
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    const stat = await fs.stat(target);
    return { key, size: stat.size, lastModified: stat.mtime };
  }

  async get(key: string): Promise<Readable> {
    if (!(await this.head(key))) throw new ObjectNotFoundError(key);
    return createReadStream(this.pathOf(key));
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const stat = await fs.stat(this.pathOf(key));
      return stat.isFile() ? { key, size: stat.size, lastModified: stat.mtime } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async touch(key: string): Promise<void> {
    const now = new Date();
    await fs.utimes(this.pathOf(key), now, now).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new ObjectNotFoundError(key) : error;
    });
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    if (dirKey) assertValidKey(dirKey);
    yield* this.walk(path.join(this.root, dirKey), dirKey, prefix);
  }

  async presignGet(key: string, expiresIn = this.defaultExpiresIn): Promise<string> {
    assertValidKey(key);
    return this.signer.sign('GET', key, expiresIn);
  }

  async presignPut(key: string, expiresIn = this.defaultExpiresIn): Promise<string> {
    assertValidKey(key);
    return this.signer.sign('PUT', key, expiresIn);
  }

  async ping(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fs.constants.R_OK | fs.constants.W_OK);
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    if (key.split('/')[0] === TEMP_DIR) throw new ObjectNotFoundError(key);
    return path.join(this.root, ...key.split('/'));
  }

  private async *walk(dir: string, dirKey: string, prefix: string): AsyncIterable<ObjectInfo> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
      if (!dirKey && entry.name === TEMP_DIR) continue;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(path.join(dir, entry.name), key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const stat = await fs.stat(path.join(dir, entry.name));
        yield { key, size: stat.size, lastModified: stat.mtime };
      }
    }
  }
}
