import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { AuthService, createApp } from '@lesionlab/api/testing';
import { runCli } from './cli.fixture';

const cli = runCli;

describe('lesionlab login', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }));
    await app.listen(0, '127.0.0.1');
    await app.get(AuthService).createUser('dm@example.org', 'data-manager', 'data manager password');
    env = { LESIONLAB_API_URL: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'cli-login-')) };
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('refuses commands before login with a hint, then saves a 0600 API token that later commands use', async () => {
    const before = await cli(['slices', '--json'], env);
    expect(before.code).not.toBe(0);
    expect(before.stderr).toContain('401');
    expect(before.stderr).toContain('lesionlab login');

    const wrong = await cli(['login', '--email', 'dm@example.org'], { ...env, LESIONLAB_PASSWORD: 'not the password' });
    expect(wrong.code).not.toBe(0);

    const login = await cli(['login', '--email', 'dm@example.org'], { ...env, LESIONLAB_PASSWORD: 'data manager password' });
    expect(login.code).toBe(0);
    const file = path.join(env.XDG_CONFIG_HOME, 'lesionlab', 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'))[env.LESIONLAB_API_URL];
    expect(saved.token).toMatch(/^llpat_/);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('data manager password');

    const after = await cli(['slices', '--json'], env);
    expect(after.code).toBe(0);
  });
});
