import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Client } from 'pg';
import { PlatformHealth } from '@lesionlab/platform';
import { createTestDatabase, testConfig, testServices, type TestDatabase } from '@lesionlab/platform/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';

describe('GET /api/health', () => {
  let database: TestDatabase;
  const apps: INestApplication[] = [];

  let admin: { Authorization: string };

  async function appWith(overrides: Record<string, string>) {
    const app = await createApp(testConfig({ DATABASE_URL: database.url, ...overrides }));
    await app.init();
    apps.push(app);
    admin = await actAs(app, 'admin', 'health-admin@example.org');
    return app.getHttpServer();
  }

  /** Connections PostgreSQL has accepted into the test database so far. */
  async function sessionsOpened(): Promise<number> {
    const url = new URL(database.url);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return Number((await client.query('SELECT sessions FROM pg_stat_database WHERE datname = $1', [name])).rows[0].sessions);
    } finally {
      await client.end();
    }
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await database.drop();
  });

  it('reports database, queue and storage up in the terminus shape (embedded defaults)', async () => {
    const response = await request(await appWith({})).get('/api/health').set(admin).expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      error: {},
      details: {
        database: { status: 'up' },
        queue: { status: 'up', backend: 'postgres' },
        storage: { status: 'up', driver: 'fs' },
      },
    });
    expect(response.body.info).toEqual(response.body.details);
  });

  it('reports the production shape up: Redis queue and S3 storage', async () => {
    const { redisUrl, s3 } = testServices();
    const server = await appWith({
      QUEUE_BACKEND: 'redis',
      REDIS_URL: redisUrl,
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
    const response = await request(server).get('/api/health').set(admin).expect(200);
    expect(response.body.details).toMatchObject({ queue: { status: 'up', backend: 'redis' }, storage: { status: 'up', driver: 's3' } });
  });

  it('answers 503 naming the component that is down', async () => {
    const server = await appWith({ QUEUE_BACKEND: 'redis', REDIS_URL: 'redis://127.0.0.1:1' });
    expect((await request(server).get('/api/health').expect(503)).body).toEqual({ status: 'error' });
    await sleep(1100);
    const response = await request(server).get('/api/health').set(admin).expect(503);
    expect(response.body.status).toBe('error');
    expect(response.body.error.queue).toMatchObject({ status: 'down', message: expect.stringContaining('ECONNREFUSED') });
    expect(response.body.details.database.status).toBe('up');
  });

  it('gives anonymous callers and non-admins the status only, admins the details', async () => {
    const app = apps[0];
    const server = app.getHttpServer();
    expect((await request(server).get('/api/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(server).get('/api/health').set(await actAs(app, 'data-manager')).expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(server).get('/api/health').set('Authorization', 'Bearer llat.not.valid').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(server).get('/api/health').set(admin).expect(200)).body.details).toMatchObject({ database: { status: 'up' } });
  });

  it('answers a burst from one check, and checks again on pooled connections', async () => {
    const app = apps[0];
    const server = app.getHttpServer();
    const checks = jest.spyOn(app.get(PlatformHealth), 'report');
    await sleep(1100);
    await Promise.all(Array.from({ length: 10 }, () => request(server).get('/api/health').expect(200)));
    expect(checks).toHaveBeenCalledTimes(1);
    const before = await sessionsOpened();
    for (let round = 0; round < 3; round++) {
      await sleep(1100);
      await request(server).get('/api/health').expect(200);
    }
    expect(checks).toHaveBeenCalledTimes(4);
    expect((await sessionsOpened()) - before).toBeLessThanOrEqual(1);
    checks.mockRestore();
  });
});
