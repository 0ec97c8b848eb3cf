// A session of editing on the shared data, driven by a Playwright robot through the real editor, so the
// annotation statistics (issue #19) can be reproduced. The whole platform runs as the e2e tests run it (a
// production web build, its own database on the local PostgreSQL, Redis as the queue, S3 on SeaweedFS). The
// first SLICES medseg-ct100 images with a lesion component of at least MIN_COMPONENT_PX pixels are uploaded
// WITHOUT their masks, one scan each; the ground truth stays in this process, only to steer the robot and to
// score. As one annotator the robot then, in Chromium:
// - assisted slices (all but every third): picks AI assist, drags one box per ground-truth component (largest
//   first, Shift+drag for the further boxes), accepts the draft (Enter), then corrects it: the
//   MAX_CORRECTIONS largest components (>= MIN_COMPONENT_PX) of truth-minus-mask are painted with the brush,
//   the MAX_CORRECTIONS largest of mask-minus-truth erased, each by the raster plan below; saves (Ctrl+S);
// - manual slices (every third): paints each ground-truth component by the raster plan with the brush; saves.
// Raster plan of a region: brush radius taken down to <= TARGET_RADIUS_PX with '[', one horizontal stroke per
// run of region pixels on every (2r - 2)-th row, the run's ends pulled in by r/2.
// Interpolation is not tried: medseg-ct100 is 50 single axial slices with no patient or scan grouping (its
// manifest has image, mask, slice_index only), so no two slices are known to be neighbours in one scan.
// Everything reported is read back from GET /api/annotation-stats and GET /api/slices/:id/mask/revisions;
// writes bench/results/annotation-session.json and a screenshot of /annotation-stats.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { chromium, type Page } from 'playwright-core';
import type { AnnotationStats, MaskRevision } from '../libs/contracts/src';
import { connectedComponents, decodeCocoRle, dice, difference, maskFromData, type BinaryMask } from '../libs/mask/src';
import { countOn, drawStroke, overlayPixels } from '../apps/web/e2e/fixtures/editor-page';
import { authAs, emailOf, signInPage } from '../apps/web/e2e/fixtures/users';
import { quantile, report } from './lib/scratch';
import { waitForUrl } from './lib/wait-for-url';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureLocalPostgres, ensureRedis, ensureS3TestServer } = require('../infra/scripts/lib/services');

const { ADMIN_EMAIL, ADMIN_PASSWORD, API_PORT, WEB_PORT, WORKER_HEALTH_PORT } = require('../apps/web/e2e/e2e-settings') as Record<string, string>;
const API = `http://127.0.0.1:${API_PORT}`;
const WEB = `http://127.0.0.1:${WEB_PORT}`;
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const MEDSEG = resolve(__dirname, '../../shared/data/medseg-ct100');
const SHOTS = '/work/helpers/shots/session';
const ANNOTATOR = 'session-robot';
const SLICES = 12;
const MIN_COMPONENT_PX = 50;
const MAX_CORRECTIONS = 3;
const TARGET_RADIUS_PX = 4.5;

interface Subject {
  image: string;
  truth: BinaryMask;
  mode: 'assist' | 'manual';
  sliceId?: string;
  robotSeconds?: number;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => (values.length ? quantile(values, 0.5) : null);
const mean = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : null);

async function readTruth(file: string): Promise<BinaryMask> {
  const { data, info } = await sharp(join(MEDSEG, file)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return maskFromData(info.width, info.height, Uint8Array.from(data, (v) => (v >= 1 ? 1 : 0)));
}

/** Components of at least MIN_COMPONENT_PX pixels, largest first, each as a mask of its own. */
function bigComponents(mask: BinaryMask): Array<{ region: BinaryMask; box: [number, number, number, number] }> {
  const { labels, components } = connectedComponents(mask);
  return components
    .filter((c) => c.area >= MIN_COMPONENT_PX)
    .sort((a, b) => b.area - a.area)
    .map(({ label, boundingBox: { x, y, width, height } }) => ({
      region: maskFromData(mask.width, mask.height, Uint8Array.from(labels, (l) => (l === label ? 1 : 0))),
      box: [x, y, x + width - 1, y + height - 1],
    }));
}

/** The first SLICES manifest images whose mask has a component of at least MIN_COMPONENT_PX pixels. */
async function pickSubjects(): Promise<Subject[]> {
  const rows = readFileSync(join(MEDSEG, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  const subjects: Subject[] = [];
  for (const [image, mask] of rows) {
    if (subjects.length === SLICES) break;
    const truth = await readTruth(mask);
    if (bigComponents(truth).length === 0) continue;
    subjects.push({ image, truth, mode: subjects.length % 3 === 2 ? 'manual' : 'assist' });
  }
  if (subjects.length < SLICES) throw new Error(`medseg-ct100 has only ${subjects.length} slices with a lesion of >= ${MIN_COMPONENT_PX} px`);
  return subjects;
}

/**
 * Uploads each image alone (format images, no masks), named as a one-slice series of its own so that no
 * two become neighbours of one scan; sets each subject's slice id.
 */
async function importImages(subjects: Subject[]): Promise<void> {
  const admin = await authAs();
  for (const s of subjects) {
    const form = new FormData();
    form.append('format', 'images');
    form.append('options', JSON.stringify({ collection: 'annotation-session', label: 'covid' }));
    form.append('files', new Blob([new Uint8Array(readFileSync(join(MEDSEG, s.image)))]), `medseg-${s.image.replace(/^images\//, '').replace(/\.png$/, '')}_0.png`);
    const started = await fetch(`${API}/api/imports`, { method: 'POST', body: form, headers: admin });
    if (!started.ok) throw new Error(`import upload of ${s.image}: ${started.status} ${await started.text()}`);
    const { id } = (await started.json()) as { id: string };
    for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 250))) {
      const status = (await (await fetch(`${API}/api/imports/${id}`, { headers: admin })).json()) as { status: string; error: string | null };
      if (status.status === 'succeeded') break;
      if (status.status === 'failed' || Date.now() > deadline) throw new Error(`import of ${s.image}: ${status.status} ${status.error ?? ''}`);
    }
    const { items } = (await (await fetch(`${API}/api/slices?import=${id}&limit=5`, { headers: admin })).json()) as { items: Array<{ id: string }> };
    if (items.length !== 1) throw new Error(`import of ${s.image} made ${items.length} slices, expected 1`);
    s.sliceId = items[0].id;
  }
}

async function pickTool(page: Page, key: 'b' | 'e'): Promise<number> {
  await page.keyboard.press(key);
  const radius = async () => Number(await page.getByTestId('brush-radius').textContent());
  while ((await radius()) > TARGET_RADIUS_PX) await page.keyboard.press('[');
  return radius();
}

/** The raster plan: one stroke per run of region pixels on every (2r - 2)-th row, ends pulled in by r/2. */
async function rasterStrokes(page: Page, region: BinaryMask, radius: number): Promise<number> {
  const step = Math.max(1, Math.floor(2 * radius - 2));
  const inset = Math.floor(radius / 2);
  let strokes = 0;
  let top = 0;
  while (top < region.height && !region.data.subarray(top * region.width, (top + 1) * region.width).some(Boolean)) top++;
  for (let y = top + inset; y < region.height; y += step) {
    const row = region.data.subarray(y * region.width, (y + 1) * region.width);
    for (let x = 0; x < region.width; x++) {
      if (!row[x]) continue;
      const start = x;
      while (x < region.width && row[x]) x++;
      const end = x - 1;
      const [from, to] = end - start > 2 * inset ? [start + inset, end - inset] : [(start + end) / 2, (start + end) / 2];
      await drawStroke(page, [[from, y], [to, y]], 2);
      strokes++;
    }
  }
  return strokes;
}

async function shownMask(page: Page, width: number, height: number): Promise<BinaryMask> {
  return maskFromData(width, height, Uint8Array.from(await overlayPixels(page)));
}

async function annotate(page: Page, subject: Subject): Promise<{ boxes: number; strokes: number; acceptedPx: number | null; acceptedDiceVsTruth: number | null }> {
  const { truth } = subject;
  const started = performance.now();
  await page.goto(`${WEB}/annotate/${subject.sliceId}`);
  await page.locator(`[data-testid=editor-viewport][data-loaded="${subject.sliceId}"]`).waitFor({ timeout: 30_000 });
  const targets = bigComponents(truth);
  let strokes = 0;
  let acceptedPx: number | null = null;
  let acceptedDiceVsTruth: number | null = null;
  if (subject.mode === 'assist') {
    await page.keyboard.press('i');
    await page.getByTestId('assist-image').filter({ hasText: 'assist ready: image encoded' }).waitFor({ timeout: 60_000 });
    for (const [i, { box }] of targets.entries()) {
      if (i > 0) await page.keyboard.down('Shift');
      await drawStroke(page, [[box[0], box[1]], [box[2], box[3]]], 4);
      if (i > 0) await page.keyboard.up('Shift');
      await page.getByTestId('assist-status').filter({ hasText: `draft of ${i + 1} box` }).waitFor({ timeout: 60_000 });
    }
    await page.keyboard.press('Enter');
    const accepted = await shownMask(page, truth.width, truth.height);
    acceptedPx = countOn(Array.from(accepted.data));
    acceptedDiceVsTruth = round(dice(accepted, truth), 4);
    const radius = await pickTool(page, 'b');
    for (const { region } of bigComponents(difference(truth, accepted)).slice(0, MAX_CORRECTIONS)) strokes += await rasterStrokes(page, region, radius);
    const painted = await shownMask(page, truth.width, truth.height);
    const eraserRadius = await pickTool(page, 'e');
    for (const { region } of bigComponents(difference(painted, truth)).slice(0, MAX_CORRECTIONS)) strokes += await rasterStrokes(page, region, eraserRadius);
  } else {
    const radius = await pickTool(page, 'b');
    for (const { region } of targets) strokes += await rasterStrokes(page, region, radius);
  }
  await page.keyboard.press('Control+s');
  await page.locator('[data-testid=save-status][data-status=saved]').waitFor({ timeout: 30_000 });
  subject.robotSeconds = (performance.now() - started) / 1000;
  return { boxes: subject.mode === 'assist' ? targets.length : 0, strokes, acceptedPx, acceptedDiceVsTruth };
}

async function getJson<T>(path: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(`${API}${path}`, { headers });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function main() {
  const subjects = await pickSubjects();
  const [adminUrl, redisUrl, s3] = await Promise.all([ensureLocalPostgres(), ensureRedis(), ensureS3TestServer()]);
  const platform = spawn(process.execPath, ['apps/web/e2e/serve-platform.js'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      TEST_DATABASE_URL: adminUrl,
      REDIS_URL: redisUrl,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_BUCKET: s3.bucket,
      PORT: String(API_PORT),
      WEB_PORT: String(WEB_PORT),
      WORKER_HEALTH_PORT: String(WORKER_HEALTH_PORT),
      LESIONLAB_HOME: join(tmpdir(), 'lesionlab-bench-session'),
      QUEUE_PREFIX: 'lesionlab_bench_session',
      LOG_LEVEL: 'warn',
      LESIONLAB_ADMIN_EMAIL: ADMIN_EMAIL,
      LESIONLAB_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  try {
    await waitForUrl(`${API}/api/health`, 300_000);
    await waitForUrl(`${WEB}/`, 300_000);
    await importImages(subjects);
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    await signInPage(page, ANNOTATOR, WEB);
    const actions: Array<Awaited<ReturnType<typeof annotate>>> = [];
    for (const subject of subjects) {
      actions.push(await annotate(page, subject));
      process.stderr.write(`annotated ${subject.image} (${subject.mode}) in ${subject.robotSeconds!.toFixed(1)} s\n`);
    }

    const annotator = await authAs(ANNOTATOR);
    const perSlice = await Promise.all(subjects.map(async (subject, i) => {
      const { items } = await getJson<{ items: MaskRevision[] }>(`/api/slices/${subject.sliceId}/mask/revisions`, annotator);
      const mine = items.filter((r) => r.author === emailOf(ANNOTATOR)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      if (mine.length === 0) throw new Error(`no saved revision of ${subject.image}`);
      const newest = mine[0];
      return {
        image: subject.image,
        mode: subject.mode,
        boxes: actions[i].boxes,
        correctionOrPaintStrokes: actions[i].strokes,
        acceptedDraftPx: actions[i].acceptedPx,
        /** The accepted draft as the editor showed it, before corrections, against the ground truth. */
        acceptedDraftDiceVsTruth: actions[i].acceptedDiceVsTruth,
        revisions: mine.length,
        origin: newest.origin?.kind ?? null,
        draftIds: newest.origin && 'draftIds' in newest.origin ? (newest.origin.draftIds?.length ?? 0) : 0,
        edit: newest.edit ?? null,
        activeSeconds: newest.activeSeconds ?? null,
        robotWallSeconds: round(subject.robotSeconds!, 1),
        areaPx: newest.area,
        truthPx: countOn(Array.from(subject.truth.data)),
        diceVsTruth: round(dice(decodeCocoRle(newest.rle), subject.truth), 4),
      };
    }));
    const stats = await getJson<AnnotationStats>('/api/annotation-stats', await authAs());

    const adminPage = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    const signedIn = await adminPage.request.post(`${WEB}/api/auth/sign-in`, { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    if (!signedIn.ok()) throw new Error(`admin sign-in: ${signedIn.status()}`);
    await adminPage.goto(`${WEB}/annotation-stats`);
    await adminPage.getByTestId('chart-seconds-per-slice').locator('canvas').waitFor({ timeout: 30_000 });
    await adminPage.waitForTimeout(1000);
    mkdirSync(SHOTS, { recursive: true });
    await adminPage.screenshot({ path: join(SHOTS, 'annotation-stats.png'), fullPage: true });

    const byMode = (mode: Subject['mode']) => perSlice.filter((s) => s.mode === mode);
    const finalQuality = (rows: typeof perSlice) => ({ slices: rows.length, meanDiceVsTruth: round(mean(rows.map((r) => r.diceVsTruth)) ?? NaN, 4), minDiceVsTruth: round(Math.min(...rows.map((r) => r.diceVsTruth)), 4) });
    report('annotation-session', {
      name: 'annotation-session',
      who_edited:
        'A Playwright robot drove Chromium through the real editor; no person annotated. Its pace is a robot pace: active seconds measure the robot input timing (no thinking, no searching for the lesion), so they compare the sources with each other on this machine, not with a human annotator.',
      scenario: {
        data: `first ${SLICES} medseg-ct100 slices with a ground-truth component >= ${MIN_COMPONENT_PX} px, uploaded as images without masks (one scan each); ground truth kept by the bench for steering and scoring only`,
        assisted: `AI assist: one box per ground-truth component >= ${MIN_COMPONENT_PX} px (first to last pixel), draft accepted with Enter; corrections: the ${MAX_CORRECTIONS} largest components >= ${MIN_COMPONENT_PX} px of truth-minus-mask painted with the brush, then the ${MAX_CORRECTIONS} largest of mask-minus-truth erased; saved with Ctrl+S`,
        manual: `brush only: every ground-truth component >= ${MIN_COMPONENT_PX} px painted; saved with Ctrl+S`,
        raster_plan: `brush radius lowered with '[' to <= ${TARGET_RADIUS_PX} px; one horizontal stroke per run of region pixels on every (2r-2)-th row, run ends pulled in by r/2`,
        interpolation: 'not tried: medseg-ct100 has no patient or scan grouping (manifest: image, mask, slice_index), so no two of its slices are known neighbours of one scan',
        annotator: emailOf(ANNOTATOR),
      },
      annotation_stats: {
        sources: [
          ...stats.models.map((m) => ({ source: `${m.kind} · ${m.model}`, offered: m.offered, accepted: m.accepted, acceptedUnchanged: m.acceptedUnchanged, meanEditDice: m.meanDice, meanPixelsAdded: m.meanPixelsAdded, meanPixelsRemoved: m.meanPixelsRemoved, medianActiveSecondsPerSlice: m.medianSecondsPerSlice })),
          { source: 'manual', slices: stats.manual.slices, medianActiveSecondsPerSlice: stats.manual.medianSecondsPerSlice },
        ],
        annotators: stats.annotators,
      },
      accepted_assist_drafts_vs_ground_truth: { meanDice: round(mean(byMode('assist').map((s) => s.acceptedDraftDiceVsTruth!)) ?? NaN, 4) },
      final_quality_vs_ground_truth: { assisted: finalQuality(byMode('assist')), manual: finalQuality(byMode('manual')), all: finalQuality(perSlice) },
      robot_wall_seconds_per_slice_median: { assisted: round(median(byMode('assist').map((s) => s.robotWallSeconds)) ?? NaN, 1), manual: round(median(byMode('manual').map((s) => s.robotWallSeconds)) ?? NaN, 1) },
      per_slice: perSlice,
      screenshot: join(SHOTS, 'annotation-stats.png'),
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, node: process.version, browser: `chromium ${browser.version()}` },
    });
  } finally {
    await browser.close();
    process.kill(-platform.pid!, 'SIGTERM');
    await new Promise((r) => platform.once('exit', r));
    await s3.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench annotation-session: ${error.stack ?? error}\n`);
  process.exit(1);
});
