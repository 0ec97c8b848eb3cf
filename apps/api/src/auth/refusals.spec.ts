import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { createApp } from '../create-app';
import { actAs } from './act-as';

const PASSWORD = 'a long enough password';
const WEB = 'http://web.example';

describe('refusals: cross-origin cookie changes, the audit of 401/403, the client address', () => {
  let database: TestDatabase;
  const apps: INestApplication[] = [];
  let app: INestApplication;
  let admin: { Authorization: string };
  let jar: string;
  const http = () => request(app.getHttpServer());

  async function appWith(overrides: Record<string, string>): Promise<INestApplication> {
    const created = await createApp(testConfig({ DATABASE_URL: database.url, CORS_ORIGINS: WEB, ...overrides }));
    await created.init();
    apps.push(created);
    return created;
  }

  const auditOf = async (query: string) => (await http().get(`/api/audit?${query}`).set(admin).expect(200)).body.items as Array<Record<string, unknown>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await appWith({});
    admin = await actAs(app, 'admin', 'root@example.org');
    await http().post('/api/users').set(admin).send({ email: 'cookie@example.org', role: 'ml-engineer', password: PASSWORD }).expect(201);
    const signedIn = await http().post('/api/auth/sign-in').set('Origin', WEB).send({ email: 'cookie@example.org', password: PASSWORD }).expect(200);
    jar = ([] as string[]).concat(signedIn.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await database.drop();
  });

  it('refuses a cookie-authenticated change from a foreign origin or from nowhere, with a problem that says why', async () => {
    const foreign = await http().post('/api/auth/tokens').set('Cookie', jar).set('Origin', 'http://evil.example').send({ name: 'csrf' }).expect(403);
    expect(foreign.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(foreign.body.detail).toMatch(/CORS_ORIGINS.*http:\/\/evil\.example/);
    const silent = await http().post('/api/auth/tokens').set('Cookie', jar).send({ name: 'csrf' }).expect(403);
    expect(silent.body.detail).toMatch(/Origin or Referer/);
    await http().post('/api/auth/refresh').set('Cookie', jar).set('Origin', 'http://evil.example').expect(403);
    await http().post('/api/auth/sign-out').set('Cookie', jar).set('Referer', 'http://evil.example/page').expect(403);
  });

  it('lets the same change through from an allowed origin (or its Referer), and bearer calls from anywhere', async () => {
    await http().post('/api/auth/tokens').set('Cookie', jar).set('Origin', WEB).send({ name: 'web' }).expect(201);
    await http().post('/api/auth/tokens').set('Cookie', jar).set('Referer', `${WEB}/annotate/1`).send({ name: 'web-2' }).expect(201);
    await http().get('/api/auth/tokens').set('Cookie', jar).expect(200);
    await http().post('/api/auth/tokens').set(admin).send({ name: 'cli' }).expect(201);
  });

  it('appends every refusal to the audit log: 401 for no or a bad credential, 403 for a role or an origin', async () => {
    await http().get('/api/users').set('User-Agent', 'prober').expect(401);
    await http().get('/api/users').set('Authorization', 'Bearer llat.forged.token').expect(401);
    const annotator = await actAs(app, 'annotator', 'ann@example.org');
    await http().delete('/api/releases/00000000-0000-4000-8000-000000000001').set(annotator).expect(403);
    await http().post('/api/auth/tokens').set('Cookie', jar).set('Origin', 'http://evil.example').send({ name: 'x' }).expect(403);

    const users = await auditOf('action=GET%20/api/users');
    expect(users.map((e) => [e.actor, e.status])).toEqual([
      ['anonymous', 401],
      ['anonymous', 401],
    ]);
    expect(users[1]).toMatchObject({ userAgent: 'prober', ip: expect.any(String), requestId: expect.any(String) });
    expect((await auditOf('actor=ann@example.org'))[0]).toMatchObject({ action: 'DELETE /api/releases/:id', actorRole: 'annotator', status: 403 });
    expect((await auditOf('action=POST%20/api/auth/tokens&actor=anonymous'))[0]).toMatchObject({ status: 403 });
  });

  it('takes the client address from X-Forwarded-For only when the hop is a trusted proxy (TRUST_PROXY)', async () => {
    await http().post('/api/auth/sign-in').set('X-Forwarded-For', '203.0.113.7').send({ email: 'nobody@example.org', password: 'wrong' }).expect(401);
    expect((await auditOf('id=nobody@example.org'))[0]).toMatchObject({ ip: '203.0.113.7' });

    const direct = await appWith({ TRUST_PROXY: '10.0.0.0/8' });
    await request(direct.getHttpServer()).post('/api/auth/sign-in').set('X-Forwarded-For', '203.0.113.8').send({ email: 'spoof@example.org', password: 'wrong' }).expect(401);
    const [entry] = await auditOf('id=spoof@example.org');
    expect(entry.ip).not.toBe('203.0.113.8');
    expect(entry.ip).toMatch(/127\.0\.0\.1|::1/);
  });
});
