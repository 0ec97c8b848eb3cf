import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDatabase, testConfig, testServices, type TestDatabase } from '@lesionlab/platform/testing';
import { createApp } from '../create-app';

describe('GET /api/health', () => {
  let database: TestDatabase;
  const apps: INestApplication[] = [];

  async function appWith(overrides: Record<string, string>) {
    const app = await createApp(testConfig({ DATABASE_URL: database.url, ...overrides }));
    await app.init();
    apps.push(app);
    return app.getHttpServer();
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await database.drop();
  });

  it('reports database, queue and storage up in the terminus shape (embedded defaults)', async () => {
    const response = await request(await appWith({})).get('/api/health').expect(200);
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
    const response = await request(server).get('/api/health').expect(200);
    expect(response.body.details).toMatchObject({ queue: { status: 'up', backend: 'redis' }, storage: { status: 'up', driver: 's3' } });
  });

  it('answers 503 naming the component that is down', async () => {
    const response = await request(await appWith({ QUEUE_BACKEND: 'redis', REDIS_URL: 'redis://127.0.0.1:1' })).get('/api/health').expect(503);
    expect(response.body.status).toBe('error');
    expect(response.body.error.queue).toMatchObject({ status: 'down', message: expect.stringContaining('ECONNREFUSED') });
    expect(response.body.details.database.status).toBe('up');
  });
});
