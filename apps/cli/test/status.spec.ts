import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { actAs, createApp } from '@lesionlab/api/testing';
import { closedPort, runCli } from './cli.fixture';

const cli = (args: string[], apiUrl: string, token = '') => runCli(args, { LESIONLAB_API_URL: apiUrl, LESIONLAB_TOKEN: token });

describe('lesionlab status', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let apiUrl: string;
  let adminToken: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp(testConfig({ DATABASE_URL: database.url }));
    await app.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    adminToken = (await actAs(app, 'admin')).Authorization.replace(/^Bearer /, '');
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('prints the health as a table (each component for an admin)', async () => {
    const anonymous = await cli(['status'], apiUrl);
    expect(anonymous.code).toBe(0);
    expect(anonymous.stdout).toContain(`LesionLab at ${apiUrl}: healthy`);
    expect(anonymous.stdout).toContain('shown to admins only');
    const { code, stdout } = await cli(['status'], apiUrl, adminToken);
    expect(code).toBe(0);
    expect(stdout).toContain(`LesionLab at ${apiUrl}: healthy`);
    for (const component of ['database', 'queue', 'storage']) expect(stdout).toMatch(new RegExp(`${component}\\s*│\\s*up`));
    expect(stdout).toContain('backend: postgres');
  });

  it('prints the health report as JSON for machines', async () => {
    const { code, stdout } = await cli(['status', '--json'], apiUrl, adminToken);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
  });

  it('says clearly when the API cannot be reached, with exit code 6', async () => {
    const port = await closedPort();
    const { code, stderr } = await cli(['status'], `http://127.0.0.1:${port}`);
    expect(code).toBe(6);
    expect(stderr).toContain(`Cannot reach the LesionLab API at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('lists its commands in --help', async () => {
    const { code, stdout } = await cli(['--help'], apiUrl);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: lesionlab');
    expect(stdout).toContain('status');
  });
});
