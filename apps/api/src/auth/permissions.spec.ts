import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createLogger, ROLES, type Role } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { AuditRepository } from '../audit/audit.repository';
import { createApp } from '../create-app';
import { registeredRoutes } from '../http/registered-routes';
import { actAs } from './act-as';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { permissionTable, PERMISSIONS, PUBLIC } from './permissions';

/** A URL for a route pattern: made-up ids (the guard decides before anything is looked up). */
function urlOf(pattern: string): string {
  return pattern
    .replace(/:id\b/g, '00000000-0000-4000-8000-000000000001')
    .replace(/:format\b/g, 'coco')
    .replace(/:index\b/g, '0')
    .replace(/\*key\b/, 'some/object');
}

const GUARD_DENIAL = /^The [a-z-]+ role may not call /;
const GUARD_UNAUTHENTICATED = /^Sign in first/;

describe('the permission matrix', () => {
  let database: TestDatabase;
  let app: INestApplication;
  const credentials = {} as Record<Role, { Authorization: string }>;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }));
    await app.init();
    for (const role of ROLES) credentials[role] = await actAs(app, role);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('has exactly one row for every route the app serves (an unlisted route fails here)', () => {
    const served = registeredRoutes(app).sort();
    expect(served.length).toBeGreaterThan(40);
    expect(served.filter((route) => !(route in PERMISSIONS))).toEqual([]);
    expect(Object.keys(PERMISSIONS).filter((route) => !served.includes(route))).toEqual([]);
  });

  it('is the table README.md shows', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
    expect(readme).toContain(permissionTable());
  });

  it('refuses a route that has no row, whoever calls it (default deny)', async () => {
    const guard = new AuthGuard(app.get(AuthService), { allowedOrigins: [], audit: app.get(AuditRepository), logger: createLogger('test', 'silent') });
    const requestOf = { method: 'GET', route: { path: '/api/not-in-the-matrix' }, path: '/api/not-in-the-matrix', header: () => credentials.admin.Authorization };
    const context = { switchToHttp: () => ({ getRequest: () => requestOf }) } as never;
    await expect(guard.canActivate(context)).rejects.toThrow('has no row in the permission matrix');
  });

  const cases = Object.entries(PERMISSIONS).flatMap(([route, access]) => [...ROLES, 'anonymous' as const].map((who) => ({ route, access, who })));

  it.each(cases)('$route as $who', async ({ route, access, who }) => {
    const [method, pattern] = route.split(' ');
    let call = request(app.getHttpServer())[method.toLowerCase() as 'get'](urlOf(pattern));
    if (who !== 'anonymous') call = call.set(credentials[who]);
    if (method !== 'GET') call = call.send({});
    const response = await call;
    const deniedByGuard = response.status === 403 && GUARD_DENIAL.test(response.body.detail ?? '');
    const unauthenticated = response.status === 401 && GUARD_UNAUTHENTICATED.test(response.body.detail ?? '');
    expect(response.status).toBeLessThan(500);
    if (access === PUBLIC) {
      expect(deniedByGuard || unauthenticated).toBe(false);
    } else if (who === 'anonymous') {
      expect(unauthenticated).toBe(true);
    } else {
      expect(deniedByGuard).toBe(!access.includes(who));
      expect(response.status).not.toBe(401);
    }
  });
});
