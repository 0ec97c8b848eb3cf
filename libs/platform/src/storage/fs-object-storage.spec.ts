import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FsObjectStorage } from './fs-object-storage';
import { describeObjectStorageContract } from './object-storage.contract';
import { UrlSigner } from './url-signer';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => fs.rm(root, { recursive: true, force: true })));
});

describeObjectStorageContract('fs', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'lesionlab-fs-'));
  roots.push(root);
  return new FsObjectStorage(root, new UrlSigner('s'.repeat(32), 'http://localhost:3000'), 60);
});

describe('fs presigned URLs', () => {
  const signer = new UrlSigner('0123456789abcdef0123456789abcdef', 'http://api.example:3000');

  it('verifies its own signature until the URL expires', () => {
    const now = Date.UTC(2026, 0, 1);
    const url = new URL(signer.sign('GET', 'blobs/ab/cd/file name', 60, now));
    expect(url.pathname).toBe('/api/objects/blobs/ab/cd/file%20name');
    const [expires, signature] = [url.searchParams.get('expires')!, url.searchParams.get('signature')!];
    expect(signer.verify('GET', 'blobs/ab/cd/file name', expires, signature, now + 59_000)).toBeNull();
    expect(signer.verify('GET', 'blobs/ab/cd/file name', expires, signature, now + 61_000)).toBe('the URL has expired');
    expect(signer.verify('PUT', 'blobs/ab/cd/file name', expires, signature, now)).toBe('the signature does not match');
    expect(signer.verify('GET', 'blobs/ab/cd/other', expires, signature, now)).toBe('the signature does not match');
    expect(signer.verify('GET', 'blobs/ab/cd/file name', String(Number(expires) + 1000), signature, now)).toBe('the signature does not match');
  });
});
