// Load on loopback, bounded in time: the API runs as its own process (as in production) on a scratch
// database; autocannon drives (1) the catalog list and (2) mask saves, each client autosaving its own
// slice on top of its last revision (If-Match), as an annotator's editor does. Reports requests/s and
// latency percentiles (p50, p95, p99) of each.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCocoRle } from '../libs/mask/src';
import { createStorage, dataSourceOptions, openDataSource } from '../libs/platform/src';
import { testConfig } from '../libs/platform/testing';
import { createSliceFixture, ellipseMask, type SliceFixture } from '../libs/labels/test/slice-fixtures';
import { report, withScratchDatabase } from './lib/scratch';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p97_5: number; p99: number; average: number };
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
  non2xx: number;
}

const PORT = 3392;
const API = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'admin@load.test', password: 'load-admin-password' };
const CONNECTIONS = 20;
const DURATION_S = 10;
const SIDE = 512;

async function percentile95(url: string, headers: Record<string, string>, requests: unknown[]): Promise<{ result: AutocannonResult; p95Ms: number }> {
  const latencies: number[] = [];
  const instance = autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers, requests });
  const tracker = instance as unknown as { on(event: 'response', cb: (client: unknown, status: number, bytes: number, ms: number) => void): void };
  tracker.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return { result, p95Ms: Math.round(latencies[Math.floor(0.95 * (latencies.length - 1))] * 10) / 10 };
}

function summary({ result, p95Ms }: { result: AutocannonResult; p95Ms: number }) {
  return {
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    errors: result.errors,
    latencyMs: { p50: result.latency.p50, p95: p95Ms, p99: result.latency.p99 },
  };
}

void withScratchDatabase(async (databaseUrl) => {
  const home = mkdtempSync(join(tmpdir(), 'lesionlab-load-'));
  const config = testConfig({ DATABASE_URL: databaseUrl, LESIONLAB_HOME: home });
  const dataSource = await openDataSource({ ...dataSourceOptions(databaseUrl, 4), url: databaseUrl });
  const slices: SliceFixture[] = [];
  for (let i = 0; i < 200; i++) slices.push(await createSliceFixture(dataSource, createStorage(config), { width: SIDE, height: SIDE }));
  await dataSource.destroy();
  const api = spawn(process.execPath, ['-r', './infra/scripts/register.js', 'apps/api/src/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LESIONLAB_HOME: home, PORT: String(PORT), SIGNING_SECRET: config.SIGNING_SECRET, LOG_LEVEL: 'warn', QUEUE_PREFIX: config.QUEUE_PREFIX, LESIONLAB_ADMIN_EMAIL: ADMIN.email, LESIONLAB_ADMIN_PASSWORD: ADMIN.password, DATABASE_POOL_SIZE: '20' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    let token = '';
    for (const deadline = Date.now() + 60_000; !token && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      const response = await fetch(`${API}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) }).catch(() => null);
      if (response?.ok) token = ((await response.json()) as { accessToken: string }).accessToken;
    }
    if (!token) throw new Error('the API did not come up');
    const auth = { authorization: `Bearer ${token}` };

    const list = await percentile95(`${API}/api/slices?limit=50`, auth, [{ method: 'GET', path: '/api/slices?limit=50' }]);

    const bodies = [0, 1].map((v) => JSON.stringify({ rle: encodeCocoRle({ width: SIDE, height: SIDE, data: ellipseMask(SIDE, SIDE, 160 + v, 300, 40, 28) }), state: 'draft' }));
    // Round-robin over 200 slices with 20 connections: a slice's previous save has long been answered
    // when it comes round again, so each save is based on the current revision (an ETag per slice).
    let next = 0;
    const etags = new Map<string, string>();
    const save = await percentile95(`${API}`, { ...auth, 'content-type': 'application/json' }, [
      {
        method: 'PUT',
        setupRequest: (request: Record<string, unknown>, context: { slice?: string }) => {
          const n = next++;
          context.slice = slices[n % slices.length].sliceId;
          const etag = etags.get(context.slice);
          const precondition = etag ? { 'if-match': etag } : { 'if-none-match': '*' };
          return { ...request, path: `/api/slices/${context.slice}/mask`, headers: { ...(request.headers as object), ...precondition }, body: bodies[Math.floor(n / slices.length) % 2] };
        },
        onResponse: (status: number, body: string, context: { slice?: string }) => {
          if (status === 201 && context.slice) etags.set(context.slice, `"${(JSON.parse(body) as { revisionId: string }).revisionId}"`);
        },
      },
    ]);
    report('load', { machine: { cpus: cpus().length, model: cpus()[0]?.model }, connections: CONNECTIONS, durationS: DURATION_S, catalogList: summary(list), maskSave512: summary(save) });
  } finally {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
}).catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
