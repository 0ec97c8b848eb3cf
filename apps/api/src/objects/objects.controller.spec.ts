import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { CONFIG, OBJECT_STORAGE, type Config, type ObjectStorage } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { createApp } from '../create-app';

describe('presigned object URLs of the fs driver', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let storage: ObjectStorage;

  const pathOf = (url: string) => {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }));
    await app.init();
    storage = app.get(OBJECT_STORAGE);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('uploads through a presigned PUT and downloads through a presigned GET, byte for byte', async () => {
    const bytes = randomBytes(100_000);
    const put = await storage.presignPut('slices/p1/0001.png', 60);
    await request(app.getHttpServer()).put(pathOf(put)).set('Content-Type', 'application/octet-stream').send(bytes).expect(200);
    const get = await storage.presignGet('slices/p1/0001.png', 60);
    const response = await request(app.getHttpServer()).get(pathOf(get)).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(response.status).toBe(200);
    expect(Buffer.compare(response.body as Buffer, bytes)).toBe(0);
  });

  it('refuses a tampered, reused-for-PUT or expired URL with 403', async () => {
    await storage.put('secret/a', Buffer.from('a'));
    const get = new URL(await storage.presignGet('secret/a', 60));
    const tampered = pathOf(get.toString()).replace('secret/a', 'secret/b');
    expect((await request(app.getHttpServer()).get(tampered)).status).toBe(403);
    expect((await request(app.getHttpServer()).put(pathOf(get.toString())).send('x')).status).toBe(403);
    const expired = new URL(get);
    expired.searchParams.set('expires', String(Math.floor(Date.now() / 1000) - 10));
    const response = await request(app.getHttpServer()).get(pathOf(expired.toString())).expect(403);
    expect(response.body.detail).toMatch(/expired|signature/);
  });

  describe('a stored object that fails while it is read', () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    beforeEach(() => process.on('uncaughtException', record));
    afterEach(() => {
      process.off('uncaughtException', record);
      jest.restoreAllMocks();
    });
    const serving = async () => {
      await storage.put('healthy/object', Buffer.from('still here'));
      const response = await request(app.getHttpServer()).get(pathOf(await storage.presignGet('healthy/object', 60))).buffer(true).expect(200);
      expect(response.text ?? (response.body as Buffer).toString()).toBe('still here');
    };

    it('answers 404 when the blob file is removed on disk just before streaming, and keeps serving', async () => {
      await storage.put('doomed/file', randomBytes(200_000));
      const url = pathOf(await storage.presignGet('doomed/file', 60));
      const get = storage.get.bind(storage);
      jest.spyOn(storage, 'get').mockImplementationOnce(async (key) => {
        const stream = await get(key); // opens the file lazily, like any read stream
        fs.rmSync(path.join(app.get<Config>(CONFIG).storageRoot, key));
        return stream;
      });
      const response = await request(app.getHttpServer()).get(url).expect(404);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.detail).toBe('The stored data of object "doomed/file" is missing');
      await serving();
      expect(uncaught).toEqual([]);
    });

    it('cuts the response when the storage stream breaks midway (an S3 reset), and keeps serving', async () => {
      await storage.put('flaky/object', randomBytes(1000));
      const url = pathOf(await storage.presignGet('flaky/object', 60));
      jest.spyOn(storage, 'get').mockImplementationOnce(async () => {
        let sent = false;
        return new Readable({
          read() {
            if (!sent) this.push(Buffer.alloc(100));
            else setTimeout(() => this.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 100);
            sent = true;
          },
        });
      });
      await expect(request(app.getHttpServer()).get(url).buffer(true)).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
      await serving();
      expect(uncaught).toEqual([]);
    });
  });

  it('answers 404 for a validly signed URL of a missing object', async () => {
    const get = await storage.presignGet('missing/object', 60);
    const response = await request(app.getHttpServer()).get(pathOf(get)).expect(404);
    expect(response.body.detail).toBe('No object at "missing/object"');
  });
});
