// Times mask saves through the HTTP API (PUT /api/slices/:id/mask, 512x512, a typical lesion, with
// derived facts, warnings and the conditional check), with 20 concurrent clients each autosaving its
// own slice on top of its last revision, on loopback, for a bounded time. Also times first saves on
// fresh slices (the lung field is then read from storage and estimated). Prints one JSON object and
// writes it to bench/results/labels.json. Needs PostgreSQL (TEST_DATABASE_URL or 127.0.0.1:5432); it
// creates a database of its own and drops it afterwards.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { encodeCocoRle, type CocoRle } from '../libs/mask/src';
import { OBJECT_STORAGE, type ObjectStorage } from '../libs/platform/src';
import { testConfig } from '../libs/platform/testing';
import { createSliceFixture, ellipseMask, type SliceFixture } from '../libs/labels/test/slice-fixtures';
import { actAs } from '../apps/api/src/auth/act-as';
import { createApp } from '../apps/api/src/create-app';
import { report, withScratchDatabase } from './lib/scratch';

const SIDE = 512;
const CLIENTS = 20;
const WARM_UP_MS = 2_000;
const MEASURE_MS = 10_000;
const COLD_SLICES = 40;
const TARGET_P95_MS = 30;
/** Paced scenario: each client saves every this many ms (an eager autosave; editors debounce ~1 s). */
const PACED_INTERVAL_MS = 250;

/** A typical COVID-CS lesion: two patches of opacification in the lower lobes plus a small one, ~3% of the slice. */
function typicalLesion(variant: number): CocoRle {
  const data = new Uint8Array(SIDE * SIDE);
  const shift = variant % 2; // alternate between two slightly different masks, as an autosaving brush does
  for (const [cx, cy, rx, ry] of [
    [165 + shift, 300, 40, 28],
    [350, 310 + shift, 34, 30],
    [330, 200, 12, 10],
  ]) {
    const blob = ellipseMask(SIDE, SIDE, cx, cy, rx, ry);
    for (let i = 0; i < data.length; i++) data[i] |= blob[i];
  }
  return encodeCocoRle({ width: SIDE, height: SIDE, data });
}

interface Reply {
  status: number;
  etag: string | undefined;
  ms: number;
}

/** The bench annotator's bearer credential (set once the app is up). */
let authorization = '';

function put(agent: http.Agent, port: number, sliceId: string, body: string, precondition: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: 'PUT',
        path: `/api/slices/${sliceId}/mask`,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Authorization: authorization, ...precondition },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, etag: response.headers.etag, ms: performance.now() - started }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const round = (ms: number) => Math.round(ms * 100) / 100;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50_ms: round(percentile(sorted, 0.5)), p95_ms: round(percentile(sorted, 0.95)), p99_ms: round(percentile(sorted, 0.99)), max_ms: round(sorted[sorted.length - 1]) };
};

async function freshSlices(dataSource: DataSource, storage: ObjectStorage): Promise<SliceFixture[]> {
  const slices: SliceFixture[] = [];
  for (let i = 0; i < CLIENTS; i++) slices.push(await createSliceFixture(dataSource, storage, { width: SIDE, height: SIDE }));
  return slices;
}

/** Each client autosaves its slice until the end; replies that started after the warm-up are measured. */
async function runClients(agent: http.Agent, port: number, slices: SliceFixture[], bodies: string[], intervalMs: number) {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const measureFrom = performance.now() + WARM_UP_MS;
  const end = measureFrom + MEASURE_MS;
  await Promise.all(
    slices.map(async (slice, client) => {
      let precondition: Record<string, string> = { 'If-None-Match': '*' };
      // Paced clients start spread over one interval, as independent annotators would.
      let due = performance.now() + (intervalMs * client) / slices.length;
      for (let n = 0; ; n++) {
        if (intervalMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
          due += intervalMs;
        }
        const sentAt = performance.now();
        if (sentAt >= end) break;
        const reply = await put(agent, port, slice.sliceId, bodies[n % 2], precondition);
        if (reply.etag) precondition = { 'If-Match': reply.etag };
        if (sentAt >= measureFrom) {
          statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
          latencies.push(reply.ms);
        }
      }
    }),
  );
  return { requests: latencies.length, statuses, throughput_rps: Math.round((latencies.length / MEASURE_MS) * 10_000) / 10, latency: summary(latencies) };
}

async function main() {
  const loadAtStart = loadavg()[0];
  await withScratchDatabase(async (databaseUrl) => {
    const app = await createApp(testConfig({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '20' }));
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    authorization = (await actAs(app, 'annotator', 'bench@lesionlab.test')).Authorization;
    const dataSource = app.get(DataSource);
    const storage = app.get(OBJECT_STORAGE);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const bodies = [0, 1].map((variant) => JSON.stringify({ rle: typicalLesion(variant), state: 'draft' }));

    // Cold: the first save on each fresh slice, one at a time (lung field read from storage).
    const cold: number[] = [];
    for (let i = 0; i < COLD_SLICES; i++) {
      const slice = await createSliceFixture(dataSource, storage, { width: SIDE, height: SIDE });
      const reply = await put(agent, port, slice.sliceId, bodies[0], { 'If-None-Match': '*' });
      if (reply.status !== 201) throw new Error(`cold save answered ${reply.status}`);
      cold.push(reply.ms);
    }

    // Saturated: 20 clients, each chaining autosaves on its own slice with If-Match of its last ETag, back to back.
    const saturated = await runClients(agent, port, await freshSlices(dataSource, storage), bodies, 0);
    // Paced: the same 20 clients, each saving every PACED_INTERVAL_MS (open loop: a late reply does not slow the schedule).
    const paced = await runClients(agent, port, await freshSlices(dataSource, storage), bodies, PACED_INTERVAL_MS);
    const [{ n: stored }] = await dataSource.query('SELECT count(*)::int AS n FROM mask_revisions');
    agent.destroy();
    await app.close();

    const result = {
      name: 'labels',
      scenario: `PUT /api/slices/:id/mask, ${SIDE}x${SIDE}, 3 lesions (~3% of the slice), facts + warnings, ${CLIENTS} concurrent clients each chaining If-Match on its own slice, loopback, keep-alive, ${MEASURE_MS / 1000} s measured after ${WARM_UP_MS / 1000} s warm-up`,
      clients: CLIENTS,
      target_p95_ms: TARGET_P95_MS,
      saturated: { ...saturated, meets_target: saturated.latency.p95_ms < TARGET_P95_MS },
      paced: { interval_ms: PACED_INTERVAL_MS, offered_rps: (CLIENTS * 1000) / PACED_INTERVAL_MS, ...paced, meets_target: paced.latency.p95_ms < TARGET_P95_MS },
      first_save_on_fresh_slice: { samples: COLD_SLICES, ...summary(cold) },
      revisions_stored: stored,
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, load_average_1m_at_start: Math.round(loadAtStart * 100) / 100, load_average_1m_at_end: Math.round(loadavg()[0] * 100) / 100, node: process.version },
    };
    report('labels', result);
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
