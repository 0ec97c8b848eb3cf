import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeGreyPng, FsObjectStorage, greyImage16, UrlSigner } from '@lesionlab/platform';
import { SlicePixelsReader } from './slice-pixels.reader';

describe('SlicePixelsReader', () => {
  it('reads a 16-bit grey PNG with all its bits, as Hounsfield units', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'lesionlab-reader-'));
    const storage = new FsObjectStorage(root, new UrlSigner('r'.repeat(32), 'http://localhost'), 60);
    // stored = HU + 1024 (slope 1, intercept -1024): air -1000, lung -850, soft tissue 40
    const hu = [-1000, -850, 40, 300];
    const stored = Uint16Array.from({ length: 16 }, (_, i) => hu[i % 4] + 1024);
    await storage.put('slice.png', await encodeGreyPng(greyImage16(4, 4, stored)));
    const read = await new SlicePixelsReader(storage).read({
      pixelBlob: 'x',
      storageKey: 'slice.png',
      mediaType: 'image/png',
      width: 4,
      height: 4,
      bitDepth: 16,
      pixelRepresentation: 0,
      rescaleSlope: 1,
      rescaleIntercept: -1024,
    });
    expect(Array.from(read!.values.slice(0, 4))).toEqual([-1000, -850, 40, 300]);
    await fs.rm(root, { recursive: true, force: true });
  });
});
