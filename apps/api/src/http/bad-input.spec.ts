import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { actAs } from '../auth/act-as';
import { PERMISSIONS } from '../auth/permissions';
import { createApp } from '../create-app';

/** Strings that have broken parsers and query builders elsewhere. */
const NASTY = [
  "' OR 1=1 --",
  "'; DROP TABLE slices; --",
  '"\\u0000',
  '\u0000',
  '../../etc/passwd',
  '%00',
  '\uD800',
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
];
const nasty = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.integer().map(String));
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('rle', 'state', 'class', 'value', 'comment', 'name', 'format', 'source', 'options', 'email', 'role', 'password', 'seed', 'counts', 'size'), fc.jsonValue({ maxDepth: 2 })),
  fc.record({ rle: fc.record({ size: fc.array(fc.integer(), { maxLength: 3 }), counts: fc.oneof(fc.string(), fc.array(fc.integer({ min: -5, max: 1e9 }))) }), state: nasty }),
);
const QUERY_KEYS = ['limit', 'cursor', 'class', 'revision', 'supervision', 'label', 'patient', 'import', 'q', 'minArea', 'maxArea', 'before', 'since', 'actor', 'id', 'to', 'format'];
const anyQuery = fc.dictionary(fc.constantFrom(...QUERY_KEYS), nasty, { maxKeys: 4 });
const anyId = fc.oneof(fc.uuid(), nasty);

/**
 * Random JSON bodies, query parameters and path ids on every route of the permission matrix, as an
 * admin (so the guard lets everything through to validation): never a 5xx, and every error is a
 * problem+json with a detail.
 */
describe('bad input never breaks the API', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let admin: { Authorization: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url, SIGN_IN_RATE_LIMIT: '10000' }));
    await app.init();
    admin = await actAs(app, 'admin');
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('refuses uploads whose bytes are not what their names say, with a 400 naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 3000 }), fc.constantFrom('a.png', 'b.jpg', 'v.nii', 'v.nii.gz', 'IM0001', 'c.dcm', 'm.csv'), fc.constantFrom('images', 'nifti', 'dicom', 'manifest'), async (bytes, name, format) => {
        const response = await request(app.getHttpServer()).post('/api/imports').set(admin).field('format', format).attach('files', Buffer.from(bytes), name);
        const utf8Csv = name === 'm.csv' && (() => { try { new TextDecoder('utf-8', { fatal: true }).decode(bytes); return true; } catch { return false; } })();
        if (utf8Csv) return; // valid text: the importer itself judges the manifest
        expect(response.status).toBe(400);
        expect(JSON.parse(response.text).detail).toContain(`"${name}"`);
      }),
      { numRuns: 60, seed: 20261109 },
    );
  });

  const routes = Object.keys(PERMISSIONS).filter((route) => !route.includes('/objects/'));

  it.each(routes)('%s', async (route) => {
    const [method, pattern] = route.split(' ');
    await fc.assert(
      fc.asyncProperty(anyJson, anyQuery, anyId, fc.constantFrom('coco', 'png', 'x'), async (body, query, id, format) => {
        const url = pattern.replace(/:id\b/g, encodeURIComponent(id)).replace(/:format\b/g, format);
        let call = request(app.getHttpServer())[method.toLowerCase() as 'get'](url).query(query).set(admin);
        if (method !== 'GET') call = call.set('If-Match', `"${id}"`).set('Content-Type', 'application/json').send(JSON.stringify(body));
        const response = await call;
        if (response.status >= 500) throw new Error(`${method} ${url}?${new URLSearchParams(query)} ${JSON.stringify(body)} → ${response.status} ${response.text}`);
        if (response.status >= 400) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(typeof JSON.parse(response.text).detail).toBe('string');
        }
      }),
      { numRuns: 30, seed: 20261109 },
    );
  });
});
