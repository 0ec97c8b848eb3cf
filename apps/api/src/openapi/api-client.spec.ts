import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApiError, createApiClient, type ApiClient } from '@lesionlab/api-client';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { actAs } from '../auth/act-as';
import { createApp } from '../create-app';

/** The generated client against the real API over HTTP: typed calls, bearer credentials, problems as ApiError. */
describe('@lesionlab/api-client', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let api: ApiClient;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }));
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const { Authorization } = await actAs(app, 'admin');
    api = createApiClient({ baseUrl: `${baseUrl}/`, token: Authorization.replace('Bearer ', '') });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('calls typed routes with the bearer token', async () => {
    const { data: me } = await api.GET('/api/auth/me');
    expect(me).toMatchObject({ role: 'admin', via: 'access-token' });
    const { data: created, response } = await api.POST('/api/users', { body: { email: 'client@lesionlab.test', role: 'reviewer' } });
    expect(response.status).toBe(201);
    expect(created).toMatchObject({ email: 'client@lesionlab.test', role: 'reviewer', disabled: false });
    const { data: changed } = await api.PATCH('/api/users/{id}', { params: { path: { id: created!.id } }, body: { role: 'annotator' } });
    expect(changed?.role).toBe('annotator');
    const { data: page } = await api.GET('/api/slices', { params: { query: { limit: 5, sort: '-id' } } });
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  it('throws ApiError with the problem+json detail for a failed call', async () => {
    const id = randomUUID();
    const missing = await api.GET('/api/slices/{id}', { params: { path: { id } } }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404, detail: `No slice ${id}`, url: `/api/slices/${id}`, problem: { status: 404, title: 'Not Found' } });
    const twice = await api.POST('/api/users', { body: { email: 'client@lesionlab.test', role: 'reviewer' } }).catch((error: unknown) => error);
    expect(twice).toMatchObject({ status: 409, detail: 'A user client@lesionlab.test exists already' });
  });

  it('is refused without credentials (401 as ApiError)', async () => {
    const anonymous = createApiClient({ baseUrl });
    await expect(anonymous.GET('/api/auth/me')).rejects.toMatchObject({ status: 401, detail: expect.stringMatching(/^Sign in first/) });
    const { data: health } = await anonymous.GET('/api/health');
    expect(health?.status).toBe('ok');
  });
});
