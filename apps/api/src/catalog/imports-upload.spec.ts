import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';

const MIB = 1024 * 1024;

/** A NIfTI-looking file of `size` bytes: its header passes the upload sniffing, the rest is zeros. */
function niftiLike(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeInt32LE(348, 0);
  return bytes;
}

/**
 * A multipart upload of one file sent with chunked transfer encoding (no Content-Length: only
 * counting the bytes as they arrive can enforce a limit); the test writes the file part piece by piece.
 */
function openChunkedUpload(server: http.Server, headers: Record<string, string>, fileName: string) {
  const boundary = 'lesionlab-test-boundary';
  const { port } = server.address() as AddressInfo;
  let req!: http.ClientRequest;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = http.request(
      { port, method: 'POST', path: '/api/imports', headers: { ...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
  });
  req.write(`--${boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\nnifti\r\n`);
  req.write(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return {
    /** Writes file bytes in 64 KiB pieces. */
    write(bytes: Buffer) {
      for (let offset = 0; offset < bytes.length; offset += 64 * 1024) req.write(bytes.subarray(offset, offset + 64 * 1024));
    },
    finish() {
      req.end(`\r\n--${boundary}--\r\n`);
      return answer;
    },
    /** Drops the connection (after a failed assertion, so that the server can close). */
    abort() {
      req.destroy();
    },
  };
}

/**
 * The memory of the ArrayBuffers still referenced, in MiB: after full garbage collections (the flag is
 * set at run time, so plain `jest` runs this file as it is), with a pause for V8 to free what they found.
 */
async function liveArrayBuffersMiB(): Promise<number> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().arrayBuffers / MIB;
}

describe('POST /api/imports uploads', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let staging: string;
  let scratch: string;
  let admin: { Authorization: string };
  let storage: ObjectStorage;

  beforeAll(async () => {
    database = await createTestDatabase();
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'imports-upload-'));
    staging = path.join(scratch, 'staging');
    app = await createApp(testConfig({ DATABASE_URL: database.url, IMPORT_UPLOAD_LIMIT_MB: '8', IMPORT_UPLOAD_DIR: staging }));
    await app.init();
    await app.listen(0, '127.0.0.1');
    admin = await actAs(app, 'admin');
    storage = app.get(OBJECT_STORAGE);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await fs.rm(scratch, { recursive: true, force: true });
  });

  const stagedFiles = async () => (await fs.readdir(staging, { recursive: true }).catch(() => [])).length;
  const stagedBytes = async () => {
    const entries = await fs.readdir(staging, { recursive: true, withFileTypes: true }).catch(() => []);
    const sizes = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await fs.stat(path.join(e.parentPath, e.name))).size));
    return sizes.reduce((sum, size) => sum + size, 0);
  };
  const uploadedObjects = async () => {
    const keys: string[] = [];
    for await (const object of storage.list('uploads/')) keys.push(object.key);
    return keys;
  };

  it('refuses an upload over IMPORT_UPLOAD_LIMIT_MB with 413 naming the limit, whether it declares its length or not, and leaves no file behind', async () => {
    // Two files, each under the limit, together over it; sent with a Content-Length.
    const declared = await request(app.getHttpServer()).post('/api/imports').set(admin).field('format', 'nifti').attach('files', niftiLike(5 * MIB), 'a.nii').attach('files', niftiLike(5 * MIB), 'b.nii');
    expect(declared.status).toBe(413);
    expect(declared.body.detail).toMatch(/over IMPORT_UPLOAD_LIMIT_MB \(8 MB\)/);

    // Chunked: the request is cut off where the bytes pass the limit.
    const chunked = openChunkedUpload(app.getHttpServer(), admin, 'c.nii');
    chunked.write(niftiLike(12 * MIB));
    const answer = await chunked.finish();
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).detail).toMatch(/over IMPORT_UPLOAD_LIMIT_MB \(8 MB\)/);

    expect(await stagedFiles()).toBe(0);
    expect(await uploadedObjects()).toEqual([]);
    expect((await request(app.getHttpServer()).get('/api/imports').set(admin).expect(200)).body.items).toEqual([]);
  });

  it('streams an upload to disk as it arrives: half-way through, its bytes are in the staging folder and not in memory; afterwards the staged copy is gone', async () => {
    const half = niftiLike(3 * MIB);
    const rest = Buffer.alloc(3 * MIB);
    const before = await liveArrayBuffersMiB();
    const upload = openChunkedUpload(app.getHttpServer(), admin, 'streamed.nii');
    try {
      upload.write(half);
      // The server writes what it has received to disk before the request ends
      // (the multipart parser may hold back the last few bytes, which could start the closing boundary).
      const nearlyHalf = half.length - 1024;
      for (let waited = 0; (await stagedBytes()) < nearlyHalf && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await stagedBytes()).toBeGreaterThanOrEqual(nearlyHalf);
      expect((await liveArrayBuffersMiB()) - before).toBeLessThan(1);
      upload.write(rest);
      const answer = await upload.finish();
      expect(answer.status).toBe(202);
      expect(JSON.parse(answer.body).source).toMatch(/^fs:uploads\//);
    } finally {
      upload.abort();
    }
    expect(await stagedFiles()).toBe(0);
    const [key] = await uploadedObjects();
    expect((await storage.head(key))?.size).toBe(6 * MIB);
  });
});
