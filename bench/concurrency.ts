// Proof: 50 clients × 100 mask saves on 10 shared slices through the HTTP API, each client saving on
// top of the revision it last saw (so most saves race). Afterwards the stored revisions must equal the
// 201 answers plus the drafts kept by 409 answers: none lost, none duplicated, every answered id stored.
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { encodeCocoRle } from '../libs/mask/src';
import { OBJECT_STORAGE } from '../libs/platform/src';
import { testConfig } from '../libs/platform/testing';
import { createSliceFixture, ellipseMask } from '../libs/labels/test/slice-fixtures';
import { actAs } from '../apps/api/src/auth/act-as';
import { createApp } from '../apps/api/src/create-app';
import { quantile, report, withScratchDatabase } from './lib/scratch';

const CLIENTS = 50;
const SAVES = 100;
const SLICES = 10;
const SIDE = 64;

void withScratchDatabase(async (databaseUrl) => {
  const app = await createApp(testConfig({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '20' }));
  await app.listen(0, '127.0.0.1');
  try {
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const dataSource = app.get(DataSource);
    const slices = await Promise.all(Array.from({ length: SLICES }, () => createSliceFixture(dataSource, app.get(OBJECT_STORAGE), { width: SIDE, height: SIDE })));
    const people = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => actAs(app, i % 5 === 0 ? 'reviewer' : 'annotator', `client${i}@proof.test`)));
    const answered = new Map<string, 'created' | 'kept'>();
    const statuses: Record<number, number> = {};
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      people.map(async (auth, client) => {
        const etags = new Map<string, string>();
        for (let i = 0; i < SAVES; i++) {
          const slice = slices[(client + i) % SLICES];
          const rle = encodeCocoRle({ width: SIDE, height: SIDE, data: ellipseMask(SIDE, SIDE, 20 + (client % 20), 30, 3 + (i % 9), 4) });
          const etag = etags.get(slice.sliceId);
          const t0 = performance.now();
          const response = await fetch(`${base}/api/slices/${slice.sliceId}/mask`, {
            method: 'PUT',
            headers: { ...auth, 'content-type': 'application/json', ...(etag ? { 'If-Match': etag } : { 'If-None-Match': '*' }) },
            body: JSON.stringify({ rle, state: i % 4 === 3 ? 'submitted' : 'draft' }),
          });
          latencies.push(performance.now() - t0);
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          const body = (await response.json()) as { revisionId?: string; current?: { revisionId: string } | null; kept?: { revisionId: string } };
          if (response.status === 201 && body.revisionId) {
            if (answered.has(body.revisionId)) throw new Error(`revision ${body.revisionId} answered twice`);
            answered.set(body.revisionId, 'created');
            etags.set(slice.sliceId, `"${body.revisionId}"`);
          } else if (response.status === 409 && body.kept) {
            if (answered.has(body.kept.revisionId)) throw new Error(`kept draft ${body.kept.revisionId} answered twice`);
            answered.set(body.kept.revisionId, 'kept');
            if (body.current) etags.set(slice.sliceId, `"${body.current.revisionId}"`);
            else etags.delete(slice.sliceId);
          } else throw new Error(`unexpected ${response.status}: ${JSON.stringify(body)}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const stored: Array<{ id: string }> = await dataSource.query('SELECT id FROM mask_revisions WHERE slice_id = ANY($1)', [slices.map((s) => s.sliceId)]);
    const storedIds = new Set(stored.map((r) => r.id));
    const created = [...answered.values()].filter((v) => v === 'created').length;
    const kept = answered.size - created;
    const missing = [...answered.keys()].filter((id) => !storedIds.has(id));
    const unanswered = [...storedIds].filter((id) => !answered.has(id));
    const result = {
      clients: CLIENTS,
      savesPerClient: SAVES,
      slices: SLICES,
      statuses,
      answered201: created,
      keptDrafts409: kept,
      storedRevisions: stored.length,
      storedEqualsAnswered: stored.length === created + kept && missing.length === 0 && unanswered.length === 0,
      missing: missing.length,
      unanswered: unanswered.length,
      seconds: Math.round(seconds * 10) / 10,
      savesPerSecond: Math.round((CLIENTS * SAVES) / seconds),
      p95Ms: Math.round(quantile(latencies, 0.95)),
    };
    report('concurrency', result);
    if (!result.storedEqualsAnswered) process.exitCode = 1;
  } finally {
    await app.close();
  }
}).catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
