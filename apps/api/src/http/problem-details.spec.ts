import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { createApp } from '../create-app';

describe('HTTP conventions', () => {
  let database: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }));
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('answers unknown routes with application/problem+json and the request id', async () => {
    const response = await request(app.getHttpServer()).get('/api/nothing-here').set('X-Request-Id', 'req-123').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-request-id']).toBe('req-123');
    expect(JSON.parse(response.text)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /api/nothing-here',
      instance: '/api/nothing-here',
      requestId: 'req-123',
    });
  });

  it('makes up a request id when the caller sends none or a strange one', async () => {
    const response = await request(app.getHttpServer()).get('/api/health').set('X-Request-Id', 'bad id\twith tab');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document and its UI', async () => {
    const json = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(json.body.info.title).toBe('LesionLab API');
    expect(Object.keys(json.body.paths)).toContain('/api/health');
    const ui = await request(app.getHttpServer()).get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('refuses a malformed JSON body with a 400 problem', async () => {
    const response = await request(app.getHttpServer()).post('/api/health').set('Content-Type', 'application/json').send('{"broken": ');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
