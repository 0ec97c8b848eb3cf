import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AccessTokenSigner } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { createApp } from '../create-app';
import { actAs } from './act-as';

const PASSWORD = 'a long enough password';
const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

describe('revocation: every request is checked against the users table', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let admin: { Authorization: string };
  const http = () => request(app.getHttpServer());
  const jarOf = (response: request.Response) => ([] as string[]).concat(response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function newUser(email: string, role: string) {
    const user = (await http().post('/api/users').set(admin).send({ email, role, password: PASSWORD }).expect(201)).body as { id: string };
    const signedIn = await http().post('/api/auth/sign-in').send({ email, password: PASSWORD }).expect(200);
    return { id: user.id, access: bearer(signedIn.body.accessToken as string), jar: jarOf(signedIn) };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, SIGNING_SECRET }));
    await app.init();
    admin = await actAs(app, 'admin', 'root@example.org');
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('refuses the access token of a user disabled since, on the next request', async () => {
    const leaver = await newUser('leaver@example.org', 'annotator');
    await http().get('/api/auth/me').set(leaver.access).expect(200);
    await http().patch(`/api/users/${leaver.id}`).set(admin).send({ disabled: true }).expect(200);
    await http().get('/api/auth/me').set(leaver.access).expect(401);
    await http().get('/api/auth/me').set('Cookie', leaver.jar).expect(401);
  });

  it('tells the web why a session cannot be renewed: the account was disabled, the sign-in ended, or there is none', async () => {
    const leaver = await newUser('renewer@example.org', 'annotator');
    const renew = (cookie?: string) => {
      const call = http().post('/api/auth/refresh').set('Origin', 'http://localhost:4200');
      return cookie ? call.set('Cookie', cookie) : call;
    };
    const renewed = await renew(leaver.jar).expect(200);
    await http().patch(`/api/users/${leaver.id}`).set(admin).send({ disabled: true }).expect(200);
    const disabled = await renew(jarOf(renewed)).expect(401);
    expect(disabled.body).toMatchObject({ reason: 'account-disabled', detail: expect.stringMatching(/disabled by an admin/) });
    expect(([] as string[]).concat(disabled.headers['set-cookie'] ?? []).some((c) => /^lesionlab_refresh=;/.test(c))).toBe(true);
    const ended = await renew(jarOf(renewed)).expect(401); // used up by the refused renewal
    expect(ended.body).toMatchObject({ reason: 'session-ended' });
    const none = await renew().expect(401);
    expect(none.body.reason).toBeUndefined();
    expect(none.body.detail).toBe('There is no web session to renew: sign in first');
  });

  it('applies a new role on the next request, whatever the token says', async () => {
    const user = await newUser('mover@example.org', 'annotator');
    await http().get('/api/review/queue').set(user.access).expect(403);
    await http().patch(`/api/users/${user.id}`).set(admin).send({ role: 'reviewer' }).expect(200);
    expect((await http().get('/api/auth/me').set(user.access).expect(200)).body).toMatchObject({ role: 'reviewer' });
    await http().get('/api/review/queue').set(user.access).expect(200);
    await http().patch(`/api/users/${user.id}`).set(admin).send({ role: 'annotator' }).expect(200);
    await http().get('/api/review/queue').set(user.access).expect(403);
  });

  it('refuses a validly signed token whose user does not exist, or was deleted', async () => {
    const forged = new AccessTokenSigner(SIGNING_SECRET).sign({ sub: randomUUID(), email: 'ghost@example.org', role: 'admin', exp: Math.floor(Date.now() / 1000) + 600, iatMs: Date.now() });
    await http().get('/api/users').set(bearer(forged)).expect(401);
    const gone = await actAs(app, 'data-manager', 'gone@example.org');
    await app.get(DataSource).query("DELETE FROM users WHERE email = 'gone@example.org'");
    await http().get('/api/auth/me').set(gone).expect(401);
  });

  it('a password change ends the user\'s sessions, access tokens and API tokens', async () => {
    const user = await newUser('changer@example.org', 'ml-engineer');
    const apiToken = bearer((await http().post('/api/auth/tokens').set(user.access).send({ name: 'ci' }).expect(201)).body.token as string);
    await http().get('/api/auth/me').set(apiToken).expect(200);
    await http().patch(`/api/users/${user.id}`).set(admin).send({ password: 'another long password' }).expect(200);
    await http().get('/api/auth/me').set(user.access).expect(401);
    await http().get('/api/auth/me').set(apiToken).expect(401);
    await http().post('/api/auth/refresh').set('Origin', 'http://localhost:4200').set('Cookie', user.jar).expect(401);
    const again = await http().post('/api/auth/sign-in').send({ email: 'changer@example.org', password: 'another long password' }).expect(200);
    await http().get('/api/auth/me').set(bearer(again.body.accessToken as string)).expect(200);
  });

  it('the reuse of a rotated refresh token ends the whole session family', async () => {
    const user = await newUser('victim@example.org', 'reviewer');
    const rotated = await http().post('/api/auth/refresh').set('Origin', 'http://localhost:4200').set('Cookie', user.jar).expect(200);
    const other = await http().post('/api/auth/sign-in').send({ email: 'victim@example.org', password: PASSWORD }).expect(200);
    await http().post('/api/auth/refresh').set('Origin', 'http://localhost:4200').set('Cookie', user.jar).expect(401); // the stolen, already-rotated token
    await http().post('/api/auth/refresh').set('Origin', 'http://localhost:4200').set('Cookie', jarOf(rotated)).expect(401); // its family is over
    await http().post('/api/auth/refresh').set('Origin', 'http://localhost:4200').set('Cookie', jarOf(other)).expect(200); // another sign-in lives on
  });

  it('a session ends SESSION_MAX_AGE_S after sign-in, however often it was refreshed', async () => {
    const user = await newUser('long@example.org', 'reviewer');
    const refreshed = await http().post('/api/auth/refresh').set('Origin', 'http://localhost:4200').set('Cookie', user.jar).expect(200);
    const refreshCookie = ([] as string[]).concat(refreshed.headers['set-cookie']).find((c) => c.startsWith('lesionlab_refresh='));
    expect(Number(/Max-Age=(\d+)/.exec(refreshCookie ?? '')?.[1])).toBeLessThanOrEqual(43_200);
    await app.get(DataSource).query("UPDATE sessions SET family_started_at = now() - interval '12 hours 1 minute' WHERE user_id = $1", [user.id]);
    await http().post('/api/auth/refresh').set('Origin', 'http://localhost:4200').set('Cookie', jarOf(refreshed)).expect(401);
  });

  it('the last active admin can be neither disabled nor demoted', async () => {
    const me = (await http().get('/api/auth/me').set(admin).expect(200)).body as { id: string };
    const disabled = await http().patch(`/api/users/${me.id}`).set(admin).send({ disabled: true }).expect(409);
    expect(disabled.body.detail).toMatch(/last active admin/);
    await http().patch(`/api/users/${me.id}`).set(admin).send({ role: 'reviewer' }).expect(409);
    const second = await newUser('second-admin@example.org', 'admin');
    await http().patch(`/api/users/${me.id}`).set(admin).send({ role: 'data-manager' }).expect(200);
    await http().patch(`/api/users/${second.id}`).set(second.access).send({ disabled: true }).expect(409);
  });
});
