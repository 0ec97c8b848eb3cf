import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { decodeGreyPng, encodeGreyPng, greyImage16 } from '@lesionlab/platform';
import { toHounsfieldPng } from './hounsfield-png';
import { ReleaseCache } from './release-cache';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('ReleaseCache', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lesionlab-cache-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('fetches a blob once, checks its sha256, and refuses content that does not match', async () => {
    const cache = new ReleaseCache(root, 1e9);
    const bytes = Buffer.from('slice pixels');
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      return Readable.from([bytes]);
    };
    const file = await cache.file(sha(bytes), fetch);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    await cache.file(sha(bytes), fetch);
    expect(fetches).toBe(1);
    const claimed = sha(Buffer.from('something else'));
    await expect(cache.file(claimed, fetch)).rejects.toThrow(/refusing to cache it/);
    expect(fs.existsSync(cache.blobPath(claimed))).toBe(false);
    expect(fs.readdirSync(path.join(root, 'blobs')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('evicts the least recently used blobs until it fits, never those it is told to keep', async () => {
    const cache = new ReleaseCache(root, 250);
    const blobs = ['a', 'b', 'c', 'd'].map((c) => Buffer.alloc(100, c));
    for (const [i, bytes] of blobs.entries()) {
      const file = await cache.file(sha(bytes), async () => Readable.from([bytes]));
      const when = new Date(Date.UTC(2026, 0, 1, 0, 0, i)); // a, b, c, d: oldest first
      fs.utimesSync(file, when, when);
    }
    const result = await cache.evict(new Set([sha(blobs[0])]));
    expect(result).toEqual({ removed: 2, bytes: 200 });
    const left = fs.readdirSync(path.join(root, 'blobs')).sort();
    expect(left).toEqual([sha(blobs[0]), sha(blobs[3])].sort());
  });
});

describe('toHounsfieldPng', () => {
  it('turns stored int16 values with slope and intercept into HU + 32768', async () => {
    const stored = Int16Array.from([-1024, 0, 40, 2000]); // slope 1, intercept -1024 → HU -2048, -1024, -984, 976
    const png = await encodeGreyPng(greyImage16(2, 2, stored));
    const out = await decodeGreyPng(await toHounsfieldPng(png, { width: 2, height: 2, pixelRepresentation: 1, rescaleSlope: 1, rescaleIntercept: -1024 }), 16);
    expect([0, 1, 2, 3].map((i) => out.readUInt16LE(i * 2) - 32768)).toEqual([-2048, -1024, -984, 976]);
  });
});
