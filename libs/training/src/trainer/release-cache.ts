import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A local content-addressed cache of release files, shared by every run on this machine:
 * `blobs/<sha256>`, each written once (to a temporary name, checked against its hash, then renamed),
 * and `derived/<sha256>.<kind>` naming the blob a conversion of a blob produced. Using a file marks it
 * recently used; `evict` removes the least recently used files until the cache fits its size.
 */
export class ReleaseCache {
  constructor(
    readonly root: string,
    private readonly maxBytes: number,
  ) {}

  blobPath(sha256: string): string {
    return path.join(this.root, 'blobs', sha256);
  }

  /** The cached file of a blob, fetched (and sha256-checked) when missing or corrupt. */
  async file(sha256: string, fetch: () => Promise<Readable>): Promise<string> {
    const target = this.blobPath(sha256);
    if (await this.touch(target)) return target;
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    const hash = createHash('sha256');
    try {
      const source = await fetch();
      source.on('data', (chunk: Buffer) => hash.update(chunk));
      await pipeline(source, fs.createWriteStream(temporary));
      const actual = hash.digest('hex');
      if (actual !== sha256) throw new Error(`blob ${sha256} arrived with sha256 ${actual}: refusing to cache it`);
      await fs.promises.rename(temporary, target);
    } finally {
      await fs.promises.rm(temporary, { force: true });
    }
    return target;
  }

  /** Stores bytes under their hash (a converted file); returns the hash. */
  async put(bytes: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.blobPath(sha256);
    if (await this.touch(target)) return sha256;
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(temporary, bytes);
    await fs.promises.rename(temporary, target);
    return sha256;
  }

  /** The blob `convert` makes of a source blob, made once and remembered under `derived/`. */
  async derived(sourceSha256: string, kind: string, convert: () => Promise<Buffer>): Promise<string> {
    const pointer = path.join(this.root, 'derived', `${sourceSha256}.${kind}`);
    const known = await fs.promises.readFile(pointer, 'utf8').catch(() => null);
    if (known && (await this.touch(this.blobPath(known.trim())))) return known.trim();
    const sha256 = await this.put(await convert());
    await fs.promises.mkdir(path.dirname(pointer), { recursive: true });
    const temporary = `${pointer}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(temporary, sha256);
    await fs.promises.rename(temporary, pointer);
    return sha256;
  }

  /** Removes least recently used blobs until the cache holds at most its size; `keep` stays. */
  async evict(keep: ReadonlySet<string> = new Set()): Promise<{ removed: number; bytes: number }> {
    const folder = path.join(this.root, 'blobs');
    const names = await fs.promises.readdir(folder).catch(() => [] as string[]);
    const files = (
      await Promise.all(
        names
          .filter((name) => /^[0-9a-f]{64}$/.test(name))
          .map(async (name) => {
            const stat = await fs.promises.stat(path.join(folder, name)).catch(() => null);
            return stat && { name, size: stat.size, used: stat.mtimeMs };
          }),
      )
    ).filter((f): f is { name: string; size: number; used: number } => f !== null);
    let total = files.reduce((sum, f) => sum + f.size, 0);
    let removed = 0;
    for (const file of files.sort((a, b) => a.used - b.used)) {
      if (total <= this.maxBytes) break;
      if (keep.has(file.name)) continue;
      await fs.promises.rm(path.join(folder, file.name), { force: true });
      total -= file.size;
      removed++;
    }
    return { removed, bytes: total };
  }

  /** Marks a file used now; false when it is not there. */
  private async touch(file: string): Promise<boolean> {
    const now = new Date();
    return fs.promises.utimes(file, now, now).then(
      () => true,
      () => false,
    );
  }
}
