import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OBJECT_STORAGE } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { createSliceFixture, ellipseMask } from '@lesionlab/labels/testing';
import { encodeCocoRle } from '@lesionlab/mask';
import { createApp } from '../create-app';
import { actAs } from './act-as';
import { FirstAdmin } from './first-admin';

const PASSWORD = 'a long enough password';

describe('users, sign-in, tokens and the audit log', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let admin: { Authorization: string };
  const http = () => request(app.getHttpServer());
  const cookiesOf = (response: request.Response) => ([] as string[]).concat(response.headers['set-cookie'] ?? []);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, SIGN_IN_RATE_LIMIT: '5', CORS_ORIGINS: 'http://allowed.example' }));
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('creates the first admin once, printing a generated password that signs in', async () => {
    const printed: string[] = [];
    expect(await app.get(FirstAdmin).ensure((line) => printed.push(line))).toBe(true);
    expect(await app.get(FirstAdmin).ensure((line) => printed.push(line))).toBe(false);
    expect(printed).toHaveLength(1);
    const password = /the password (\S+) /.exec(printed[0])?.[1] as string;
    const signedIn = await http().post('/api/auth/sign-in').send({ email: 'admin@lesionlab.local', password }).expect(200);
    expect(signedIn.body.user).toMatchObject({ email: 'admin@lesionlab.local', role: 'admin' });
    admin = { Authorization: `Bearer ${signedIn.body.accessToken}` };
  });

  it('signs in with httpOnly cookies, refreshes each refresh token once, and signs out', async () => {
    await http().post('/api/users').set(admin).send({ email: 'Rita@Example.org', role: 'reviewer', password: PASSWORD }).expect(201);
    await http().post('/api/users').set(admin).send({ email: 'rita@example.org', role: 'annotator' }).expect(409);
    await http().post('/api/auth/sign-in').send({ email: 'rita@example.org', password: 'wrong password' }).expect(401);
    const signedIn = await http().post('/api/auth/sign-in').send({ email: 'RITA@example.org', password: PASSWORD }).expect(200);
    const cookies = cookiesOf(signedIn);
    expect(cookies.find((c) => c.startsWith('lesionlab_access='))).toMatch(/Path=\/api;.*HttpOnly;.*SameSite=Strict/);
    expect(cookies.find((c) => c.startsWith('lesionlab_refresh='))).toMatch(/Path=\/api\/auth;.*HttpOnly;.*SameSite=Strict/);
    const jar = cookies.map((c) => c.split(';')[0]).join('; ');
    expect((await http().get('/api/auth/me').set('Cookie', jar).expect(200)).body).toMatchObject({ email: 'rita@example.org', role: 'reviewer' });

    const refreshed = await http().post('/api/auth/refresh').set('Origin', 'http://allowed.example').set('Cookie', jar).expect(200);
    await http().post('/api/auth/refresh').set('Origin', 'http://allowed.example').set('Cookie', jar).expect(401);
    const newJar = cookiesOf(refreshed).map((c) => c.split(';')[0]).join('; ');
    await http().post('/api/auth/sign-out').set('Origin', 'http://allowed.example').set('Cookie', newJar).expect(204);
    await http().post('/api/auth/refresh').set('Origin', 'http://allowed.example').set('Cookie', newJar).expect(401);
    await http().get('/api/auth/me').set('Authorization', 'Bearer llat.forged.token').expect(401);
  });

  it('rate-limits sign-in per e-mail with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await http().post('/api/auth/sign-in').send({ email: 'victim@example.org', password: `guess ${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await http().post('/api/auth/sign-in').send({ email: 'victim@example.org', password: 'x' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('issues API tokens shown once and stored hashed; a revoked token stops working', async () => {
    const mine = await actAs(app, 'ml-engineer', 'ml@example.org');
    const created = await http().post('/api/auth/tokens').set(mine).send({ name: 'ci' }).expect(201);
    expect(created.body.token).toMatch(/^llpat_/);
    const token = { Authorization: `Bearer ${created.body.token}` };
    expect((await http().get('/api/auth/me').set(token).expect(200)).body).toMatchObject({ email: 'ml@example.org', via: 'api-token' });
    const listed = await http().get('/api/auth/tokens').set(token).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    const stored = await app.get(DataSource).query('SELECT token_sha256 FROM api_tokens WHERE id = $1', [created.body.id]);
    expect(stored[0].token_sha256).toMatch(/^[0-9a-f]{64}$/);
    await http().delete(`/api/auth/tokens/${created.body.id}`).set(admin).expect(404);
    await http().delete(`/api/auth/tokens/${created.body.id}`).set(mine).expect(204);
    await http().get('/api/auth/me').set(token).expect(401);
  });

  it('a disabled user cannot sign in or use API tokens', async () => {
    const user = (await http().post('/api/users').set(admin).send({ email: 'leaver@example.org', role: 'annotator', password: PASSWORD }).expect(201)).body;
    const signedIn = await http().post('/api/auth/sign-in').send({ email: 'leaver@example.org', password: PASSWORD }).expect(200);
    const token = (await http().post('/api/auth/tokens').set('Authorization', `Bearer ${signedIn.body.accessToken}`).send({ name: 'x' }).expect(201)).body.token;
    await http().patch(`/api/users/${user.id}`).set(admin).send({ disabled: true }).expect(200);
    await http().post('/api/auth/sign-in').send({ email: 'leaver@example.org', password: PASSWORD }).expect(401);
    await http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('hides other annotators\' drafts, and nobody reviews their own submission', async () => {
    const slice = await createSliceFixture(app.get(DataSource), app.get(OBJECT_STORAGE));
    const rle = encodeCocoRle({ width: slice.width, height: slice.height, data: ellipseMask(slice.width, slice.height, 40, 60, 8, 6) });
    const ann = await actAs(app, 'annotator', 'ann@example.org');
    const bob = await actAs(app, 'annotator', 'bob@example.org');
    const rev = await actAs(app, 'reviewer', 'rev@example.org');
    const draft = (await http().put(`/api/slices/${slice.sliceId}/mask`).set(ann).set('If-None-Match', '*').send({ rle }).expect(201)).body;
    expect((await http().get(`/api/slices/${slice.sliceId}/mask/revisions`).set(bob).expect(200)).body.items).toEqual([]);
    await http().get(`/api/slices/${slice.sliceId}/mask?revision=${draft.revisionId}`).set(bob).expect(404);
    expect((await http().get(`/api/slices/${slice.sliceId}/mask/revisions`).set(rev).expect(200)).body.items).toHaveLength(1);
    const own = (await http().put(`/api/slices/${slice.sliceId}/mask`).set(rev).set('If-None-Match', '*').send({ rle, state: 'submitted' }).expect(201)).body;
    const refused = await http().post(`/api/revisions/${own.revisionId}/approve`).set(rev).send({}).expect(403);
    expect(refused.body.detail).toMatch(/someone else must review it/);
    expect((await http().get(`/api/slices/${slice.sliceId}/mask/revisions`).set(bob).expect(200)).body.items.map((r: { state: string }) => r.state)).toEqual(['submitted']);

    // a model's draft is a suggestion for every annotator
    const suggested = await createSliceFixture(app.get(DataSource), app.get(OBJECT_STORAGE));
    await app.get(DataSource).query(
      `INSERT INTO mask_revisions (slice_id, height, width, rle_counts, area, author, source, state) VALUES ($1, $2, $3, $4, 1, 'model:jcs-lite:v1', 'model', 'draft')`,
      [suggested.sliceId, suggested.height, suggested.width, rle.counts],
    );
    const seen = (await http().get(`/api/slices/${suggested.sliceId}/mask/revisions`).set(bob).expect(200)).body.items;
    expect(seen.map((r: { source: string; state: string }) => `${r.source}:${r.state}`)).toEqual(['model:draft']);
  });

  it('appends every change to the audit log, with filters, and the log cannot be edited', async () => {
    const created = await http().post('/api/users').set(admin).set('User-Agent', 'audit-test').set('X-Request-Id', 'audit-req-1').send({ email: 'new@example.org', role: 'annotator' }).expect(201);
    const page = await http().get(`/api/audit?id=${created.body.id}`).set(admin).expect(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({ actor: 'admin@lesionlab.local', actorRole: 'admin', action: 'POST /api/users', ids: { created: created.body.id }, status: 201, userAgent: 'audit-test', requestId: 'audit-req-1', ip: expect.any(String) }),
    ]);
    const failures = await http().get('/api/audit?action=POST%20/api/auth/sign-in&id=victim@example.org&limit=3').set(admin).expect(200);
    expect(failures.body.items[0]).toMatchObject({ actor: 'anonymous', status: 429, ids: { email: 'victim@example.org' } });
    expect(failures.body.nextBefore).toBe(failures.body.items[2].id);
    const byActor = await http().get('/api/audit?actor=ml@example.org').set(admin).expect(200);
    expect(byActor.body.items.map((e: { action: string }) => e.action)).toEqual(['DELETE /api/auth/tokens/:id', 'POST /api/auth/tokens']);
    await expect(app.get(DataSource).query('UPDATE audit_log SET actor = $1', ['someone else'])).rejects.toThrow(/append-only/);
    await expect(app.get(DataSource).query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await http().get('/api/audit').set(await actAs(app, 'reviewer')).expect(403);
  });

  it('sends security headers, and CORS answers only allowed origins', async () => {
    const response = await http().get('/api/health').set('Origin', 'http://allowed.example');
    expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'access-control-allow-origin': 'http://allowed.example' });
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-powered-by']).toBeUndefined();
    const foreign = await http().get('/api/health').set('Origin', 'http://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});
