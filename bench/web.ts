// The editor's speed in Chromium against a production build of the whole platform (started as the
// e2e tests start it, on a fresh database, seeded through the API with synthetic 16-bit CT volumes):
// paint-path time per animation frame during a brush stroke (performance.measure in the page) at
// 512² and 1024², switching to a prefetched neighbour slice, and the first slice on screen after
// navigation. Prints one JSON object and writes it to bench/results/web.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { seedScan } from '../apps/web/e2e/fixtures/seed';
import { signInPage } from '../apps/web/e2e/fixtures/users';
import { waitForUrl } from './lib/wait-for-url';

const { ADMIN_EMAIL, ADMIN_PASSWORD, API_PORT, WEB_PORT, WORKER_HEALTH_PORT } = require('../apps/web/e2e/e2e-settings') as Record<string, string>;
const API = `http://127.0.0.1:${API_PORT}`;
const WEB = `http://127.0.0.1:${WEB_PORT}`;
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const RUNS = 5;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const median = (values: number[]) => quantile(values, 0.5);
const round = (v: number) => Math.round(v * 100) / 100;

async function openSlice(page: Page, sliceId: string): Promise<number> {
  await page.goto(`${WEB}/annotate/${sliceId}`);
  await page.locator(`[data-testid=editor-viewport][data-loaded="${sliceId}"]`).waitFor();
  // Time from navigation start to the slice on the canvas.
  return page.evaluate((id) => performance.getEntriesByName('lesionlab:slice-shown').find((m) => (m as PerformanceMark).detail === id)!.startTime, sliceId);
}

/**
 * One long stroke across the slice; returns the paint-path time of every frame it took, and the
 * intervals between animation frames meanwhile (what the browser adds: compositing, vsync).
 */
async function strokeFrameTimes(page: Page): Promise<{ paint: number[]; intervals: number[] }> {
  await page.evaluate(() => {
    performance.clearMeasures('lesionlab:paint-frame');
    const state = { intervals: [] as number[], last: 0, running: true };
    (window as unknown as { __frames: typeof state }).__frames = state;
    const tick = (now: number) => {
      if (state.last) state.intervals.push(now - state.last);
      state.last = now;
      if (state.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const box = (await page.getByTestId('mask-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
  await page.mouse.down();
  for (let i = 1; i <= 120; i++) {
    const t = i / 120;
    await page.mouse.move(box.x + box.width * (0.2 + 0.6 * t), box.y + box.height * (0.3 + 0.4 * Math.sin(t * Math.PI * 3) ** 2));
  }
  await page.mouse.up();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    const frames = (window as unknown as { __frames: { intervals: number[]; running: boolean } }).__frames;
    frames.running = false;
    return { paint: performance.getEntriesByName('lesionlab:paint-frame').map((m) => m.duration), intervals: frames.intervals };
  });
}

/** ArrowRight to a prefetched neighbour: time from the key press to the neighbour on screen. */
async function neighbourSwitch(page: Page, toSliceId: string): Promise<number> {
  return page.evaluate(
    (id) =>
      new Promise<number>((resolve) => {
        const observer = new PerformanceObserver((list) => {
          const shown = list.getEntries().find((e) => (e as PerformanceMark).detail === id);
          if (!shown) return;
          observer.disconnect();
          resolve(shown.startTime - pressed);
        });
        observer.observe({ type: 'mark' });
        const pressed = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      }),
    toSliceId,
  );
}

async function main() {
  const platform = spawn(process.execPath, ['apps/web/e2e/serve-platform.js'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(API_PORT), WEB_PORT: String(WEB_PORT), WORKER_HEALTH_PORT: String(WORKER_HEALTH_PORT), LESIONLAB_HOME: join(tmpdir(), 'lesionlab-bench'), QUEUE_PREFIX: 'lesionlab_e2e', LOG_LEVEL: 'warn', LESIONLAB_ADMIN_EMAIL: ADMIN_EMAIL, LESIONLAB_ADMIN_PASSWORD: ADMIN_PASSWORD },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  try {
    await waitForUrl(`${API}/api/health`, 240_000);
    await waitForUrl(`${WEB}/`, 240_000);
    const scans = { 512: await seedScan(API, 'bench-512', 512, RUNS + 2), 1024: await seedScan(API, 'bench-1024', 1024, 3) };
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    await signInPage(page, 'bench', WEB);

    const firstVisible: number[] = [];
    for (let i = 0; i < RUNS; i++) firstVisible.push(await openSlice(page, scans[512].sliceIds[i]));

    const strokes: Record<string, { medianMs: number; p95Ms: number; frames: number; rafIntervalP95Ms: number }> = {};
    for (const side of [512, 1024] as const) {
      await openSlice(page, scans[side].sliceIds[0]);
      for (let i = 0; i < (side === 1024 ? 4 : 2); i++) await page.keyboard.press(']');
      const perRun: Array<{ median: number; p95: number; frames: number; intervalP95: number }> = [];
      for (let run = 0; run < 3; run++) {
        const { paint, intervals } = await strokeFrameTimes(page);
        perRun.push({ median: median(paint), p95: quantile(paint, 0.95), frames: paint.length, intervalP95: quantile(intervals, 0.95) });
      }
      strokes[`${side}`] = {
        medianMs: round(median(perRun.map((r) => r.median))),
        p95Ms: round(median(perRun.map((r) => r.p95))),
        frames: median(perRun.map((r) => r.frames)),
        rafIntervalP95Ms: round(median(perRun.map((r) => r.intervalP95))),
      };
    }

    const switches: number[] = [];
    const ids = scans[512].sliceIds;
    await openSlice(page, ids[0]);
    for (let i = 1; i < ids.length; i++) {
      // Give the prefetch of the neighbour time to land, as it has while an annotator works.
      await page.waitForTimeout(1000);
      switches.push(await neighbourSwitch(page, ids[i]));
    }

    const result = {
      bench: 'web',
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, browser: `chromium ${browser.version()}` },
      brushStrokeFrameMs: {
        '512': { ...strokes['512'], target: '< 8 ms p95', pass: strokes['512'].p95Ms < 8 },
        '1024': { ...strokes['1024'], target: '< 16 ms p95', pass: strokes['1024'].p95Ms < 16 },
      },
      neighbourSwitchMs: { median: round(median(switches)), max: round(Math.max(...switches)), runs: switches.length, target: '< 50 ms', pass: median(switches) < 50 },
      firstSliceVisibleMs: { median: round(median(firstVisible)), max: round(Math.max(...firstVisible)), runs: firstVisible.length, target: '< 1000 ms', pass: median(firstVisible) < 1000 },
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'web.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
    process.kill(-platform.pid!, 'SIGTERM');
    await new Promise((resolve) => platform.once('exit', resolve));
  }
}

main().catch((error) => {
  process.stderr.write(`bench web: ${error.stack ?? error}\n`);
  process.exit(1);
});
