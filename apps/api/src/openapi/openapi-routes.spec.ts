import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OBJECT_STORAGE, type Config } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { ReleaseBuilder, ReleasesService } from '@lesionlab/releases';
import { seedTinyRelease, type TinyRelease } from '@lesionlab/training/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';
import { registeredRoutes } from '../http/registered-routes';
import { buildOpenApiDocument, openApiPath } from './document';
import { OPERATIONS } from './operations';
import { responseSchema, schemaValidator } from './schema-validator';

describe('the OpenAPI document against the running app', () => {
  let database: TestDatabase;
  let config: Config;
  let app: INestApplication;
  let tiny: TinyRelease;
  let admin: { Authorization: string };
  const document = buildOpenApiDocument();
  const check = schemaValidator(document);
  const http = () => request.agent(app.getHttpServer()).set(admin);

  /** The problems of an answer against the schema the document gives its route and status. */
  function problemsOf(route: string, response: request.Response): string[] {
    const [method, expressPath] = route.split(' ');
    const schema = responseSchema(document, method, openApiPath(expressPath), response.status);
    if (!schema) return [`${route} answered ${response.status}, which the document does not list`];
    return check(schema, response.body).map((problem) => `${route} ${response.status}: ${problem}`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig({ DATABASE_URL: database.url });
    app = await createApp(config);
    await app.init();
    admin = await actAs(app, 'admin');
    tiny = await seedTinyRelease(app.get(DataSource), app.get(OBJECT_STORAGE), { releases: app.get(ReleasesService), builder: app.get(ReleaseBuilder) });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('documents exactly the routes the app serves (a route without a row, or a row without a route, fails by name)', () => {
    const served = registeredRoutes(app).sort();
    expect(served.length).toBeGreaterThan(40);
    expect({ undocumented: served.filter((route) => !(route in OPERATIONS)), withoutRoute: Object.keys(OPERATIONS).filter((route) => !served.includes(route)) }).toEqual({
      undocumented: [],
      withoutRoute: [],
    });
  });

  it('serves the generated document at /api/docs-json and the UI at /api/docs, without credentials', async () => {
    const served = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(served.body).toEqual(buildOpenApiDocument({ serverUrl: config.PUBLIC_API_URL }));
    const ui = await request(app.getHttpServer()).get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('answers runs, releases, slices, patients, users, tokens and the audit log as their schemas say', async () => {
    const answers: Array<[string, request.Response]> = [];
    const call = async (route: string, url: string, send?: object) => {
      const [method] = route.split(' ');
      let pending = http()[method.toLowerCase() as 'get'](url);
      if (send) pending = pending.send(send);
      const response = await pending;
      answers.push([route, response]);
      return response;
    };

    const slices = await call('GET /api/slices', '/api/slices?limit=5');
    expect(slices.status).toBe(200);
    expect(slices.body.items.length).toBeGreaterThan(0);
    await call('GET /api/slices/:id', `/api/slices/${tiny.sliceIds[0]}`);
    await call('GET /api/slices/facets', '/api/slices/facets');
    await call('GET /api/patients', '/api/patients');
    await call('GET /api/slices/:id', `/api/slices/${randomUUID()}`);

    await call('GET /api/releases', '/api/releases');
    await call('GET /api/releases/:id', `/api/releases/${tiny.releaseId}`);
    await call('GET /api/releases/:id/exports', `/api/releases/${tiny.releaseId}/exports`);
    await call('POST /api/releases', '/api/releases', { name: 'tiny' });
    await call('POST /api/releases', '/api/releases', { name: 'no/slashes' });

    const run = await call('POST /api/runs', '/api/runs', { releaseId: tiny.releaseId, model: 'jcs-lite', steps: 2 });
    expect(run.status).toBe(202);
    await call('GET /api/runs', '/api/runs');
    await call('GET /api/runs/:id', `/api/runs/${run.body.id}`);
    await call('GET /api/models', '/api/models');

    const user = await call('POST /api/users', '/api/users', { email: 'new.annotator@lesionlab.test', role: 'annotator' });
    await call('PATCH /api/users/:id', `/api/users/${user.body.id}`, { role: 'reviewer' });
    await call('GET /api/users', '/api/users');
    await call('GET /api/auth/me', '/api/auth/me');
    await call('POST /api/auth/tokens', '/api/auth/tokens', { name: 'ci' });
    await call('GET /api/auth/tokens', '/api/auth/tokens');
    await call('GET /api/audit', '/api/audit');

    expect(answers.map(([route, response]) => `${route} ${response.status}`)).toEqual([
      'GET /api/slices 200',
      'GET /api/slices/:id 200',
      'GET /api/slices/facets 200',
      'GET /api/patients 200',
      'GET /api/slices/:id 404',
      'GET /api/releases 200',
      'GET /api/releases/:id 200',
      'GET /api/releases/:id/exports 200',
      'POST /api/releases 202',
      'POST /api/releases 400',
      'POST /api/runs 202',
      'GET /api/runs 200',
      'GET /api/runs/:id 200',
      'GET /api/models 200',
      'POST /api/users 201',
      'PATCH /api/users/:id 200',
      'GET /api/users 200',
      'GET /api/auth/me 200',
      'POST /api/auth/tokens 201',
      'GET /api/auth/tokens 200',
      'GET /api/audit 200',
    ]);
    expect(answers.flatMap(([route, response]) => problemsOf(route, response))).toEqual([]);
  });

  it('notices an answer that breaks its schema (the check above can fail)', async () => {
    const response = await http().get('/api/releases').expect(200);
    response.body.items[0].version = 'two';
    expect(problemsOf('GET /api/releases', response)).toEqual([expect.stringContaining('/items/0/version must be integer')]);
  });
});
