import { expect, test, type Page } from '@playwright/test';
import { API_PORT } from './e2e-settings';
import { acceptSquare, seedScan } from './fixtures/seed';
import { authAs } from './fixtures/users';

// An ML engineer launches a jcs-lite CPU run from a release page through the launch form (a bad field
// is refused on that field first), watches it finish on its live page with ECharts curves, cancels a
// second run, re-runs it from the form, starts a third from the first one's model, and overlays runs on
// the compare page.

const API = `http://127.0.0.1:${API_PORT}`;
const NAME = `e2e-run-${Date.now().toString(36)}`;
const ENGINEER = `${NAME}-ml@e2e.test`;
const PASSWORD = 'e2e-ml-engineer-password';
const ANNOTATOR = `${NAME}-annotator`;
const SIDE = 64;

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${API}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(await authAs()) } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function signInEngineer(page: Page): Promise<void> {
  const signedIn = await page.request.post('/api/auth/sign-in', { data: { email: ENGINEER, password: PASSWORD } });
  expect(signedIn.ok()).toBe(true);
}

/** The chart of `quantity`: an ECharts canvas whose legend names `series`. */
async function expectChart(page: Page, quantity: string, series: string[]): Promise<void> {
  const chart = page.getByTestId(`chart-${quantity}`);
  await expect(chart.locator('canvas').first()).toBeVisible();
  const names = (await chart.locator('[data-series]').getAttribute('data-series'))!.split('\n');
  for (const name of series) expect(names).toContain(name);
}

test.describe.configure({ mode: 'serial' });

let release: { id: string; title: string };
let finished: string;
let cancelled: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Pixel labels of its own: the jcs-lite recipe's stages sample pixel-labelled slices only, so every
  // patient gets two approved masks and the train split has some whichever patients it draws.
  for (let patient = 0; patient < 4; patient++) {
    const scan = await seedScan(API, `${NAME}-${patient}`, SIDE, 4);
    for (const [n, sliceId] of scan.sliceIds.slice(1, 3).entries()) await acceptSquare(API, sliceId, ANNOTATOR, { side: SIDE, x: 16 + 8 * n, y: 20, size: 16 });
  }
  const cut = await api<{ id: string }>('/api/releases', { method: 'POST', body: JSON.stringify({ name: NAME, ratios: { train: 50, val: 25, test: 25 } }) });
  await expect.poll(async () => (await api<{ status: string }>(`/api/releases/${cut.id}`)).status, { timeout: 60_000 }).toBe('ready');
  const built = await api<{ id: string; title: string; summary: { splits: Record<string, { slicesBySupervision: Record<string, number> }> } }>(`/api/releases/${cut.id}`);
  expect(built.summary.splits.train.slicesBySupervision.pixel).toBeGreaterThan(0);
  release = built;
  await api('/api/users', { method: 'POST', body: JSON.stringify({ email: ENGINEER, role: 'ml-engineer', password: PASSWORD }) });
});

test('a run launched from the release page through the form: a bad field is refused on that field, then the run finishes live with charts', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await signInEngineer(page);
  await page.goto(`/releases/${release.id}`);
  await page.getByTestId('train-on-release').click();
  await expect(page).toHaveURL(`/runs/new?release=${release.id}`);
  const form = page.getByRole('form', { name: 'Launch a training run' });
  await expect(form.getByTestId('run-release')).toHaveValue(release.id);

  await form.getByTestId('run-preset').selectOption('jcs-lite');
  await expect(form.getByTestId('run-preset-description')).toContainText('jcs-lite');
  await form.getByTestId('run-steps').fill('3');
  await form.getByTestId('run-batch-size').fill('0');
  await form.getByTestId('run-image-size').fill('50');
  await form.getByTestId('run-start').click();
  await expect(form.getByTestId('run-error-batchSize')).toContainText('>=1');
  await expect(form.getByTestId('run-error-imageSize')).toContainText('multiple of 32');
  await expect(form.getByTestId('run-batch-size')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/runs\/new/);
  await page.screenshot({ path: testInfo.outputPath('launch-form-errors.png'), fullPage: true });

  await form.getByTestId('run-batch-size').fill('2');
  await form.getByTestId('run-image-size').fill('64');
  await expect(form.getByTestId('run-error-batchSize')).toHaveCount(0);
  await form.getByTestId('run-start').click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  finished = page.url().split('/').at(-1)!;
  const run = await api<{ config: { model: string; steps: number; batchSize: number; imageSize: number } }>(`/api/runs/${finished}`);
  expect(run.config).toMatchObject({ model: 'jcs-lite', steps: 3, batchSize: 2, imageSize: 64 });

  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 180_000 });
  await expect(page.getByTestId('run-progress')).toContainText('100%');
  await expect(page.getByTestId('run-progress')).toContainText('step 3 of 3');
  await expectChart(page, 'loss', ['train']);
  await expectChart(page, 'images_per_s', ['train']);
  await expect(page.getByTestId('run-model')).toBeVisible();
  await page.getByTestId('chart-log-loss').check();
  await page.getByTestId('chart-smoothing').fill('0.9');
  await expect(page.getByTestId('chart-loss').locator('canvas').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('run-finished.png'), fullPage: true });
});

test('a running run is cancelled from its page; re-run fills the form with its settings', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const long = await api<{ id: string }>('/api/runs', { method: 'POST', body: JSON.stringify({ releaseId: release.id, model: 'jcs-lite', steps: 100000, batchSize: 2, imageSize: 64 }) });
  cancelled = long.id;
  await signInEngineer(page);
  await page.goto('/runs');
  await expect(page.getByTestId('run-row').filter({ hasText: cancelled.slice(0, 8) })).toBeVisible();
  await page.getByRole('link', { name: cancelled.slice(0, 8) }).click();
  await expect(page).toHaveURL(`/runs/${cancelled}`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', /queued|running/);
  await page.getByTestId('run-cancel').click();
  await page.getByTestId('run-cancel-confirm').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
  await expect(page.getByTestId('run-cancel')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('run-cancelled.png'), fullPage: true });

  await page.getByTestId('run-rerun').click();
  await expect(page).toHaveURL(`/runs/new?from=${cancelled}`);
  await expect(page.getByTestId('run-steps')).toHaveValue('100000');
  await expect(page.getByTestId('run-batch-size')).toHaveValue('2');
  await expect(page.getByTestId('run-preset')).toHaveValue('jcs-lite');
  await expect(page.getByTestId('run-release')).toHaveValue('');
});

test('a run started from the model of an earlier run: the form offers models of the chosen preset only, the run and its model say where they started', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { items } = await api<{ items: { id: string; name: string; version: number; runId: string; architecture: string }[] }>('/api/models');
  const earlier = items.find((m) => m.runId === finished)!;
  const label = `${earlier.name} · v${earlier.version}`;
  await signInEngineer(page);
  await page.goto(`/runs/new?release=${release.id}`);
  const form = page.getByRole('form', { name: 'Launch a training run' });
  await form.getByTestId('run-preset').selectOption('jcs-lite');
  const init = form.getByTestId('run-init-model');
  await expect(init).toHaveValue('');
  await expect(init.locator('option').first()).toHaveText('preset’s own weights');
  const offered = await init.locator('option').allTextContents();
  expect(offered).toContain(label);
  // Exactly the registered jcs-lite models (other specs' too, whatever their names), none of another preset.
  const jcsLite = items.filter((m) => m.architecture === 'jcs-lite').map((m) => `${m.name} · v${m.version}`);
  expect(offered.slice(1).sort()).toEqual(jcsLite.sort());
  await init.selectOption(earlier.id);
  // another preset: the jcs-lite model is neither offered nor kept
  await form.getByTestId('run-preset').selectOption('jcs-seg-lite');
  await expect(init).toHaveValue('');
  expect(await init.locator('option').allTextContents()).not.toContain(label);
  await form.getByTestId('run-preset').selectOption('jcs-lite');
  await init.selectOption(earlier.id);
  await form.getByTestId('run-steps').fill('2');
  await form.getByTestId('run-batch-size').fill('2');
  await form.getByTestId('run-image-size').fill('64');
  await page.screenshot({ path: testInfo.outputPath('launch-form-init-model.png'), fullPage: true });
  await form.getByTestId('run-start').click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const startedFrom = page.getByTestId('started-from');
  await expect(startedFrom).toHaveText(`started from ${label}`);
  await expect(startedFrom.getByRole('link')).toHaveAttribute('href', `/models/${earlier.id}`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  await expect(page.getByTestId('run-log')).toContainText(/initialised \d+\/\d+ tensors from \S*init-model\/model\.pt/);
  await page.screenshot({ path: testInfo.outputPath('run-init-model.png'), fullPage: true });
  await page.getByTestId('run-model').click();
  await expect(page.getByTestId('model-summary').getByTestId('started-from')).toHaveText(`started from ${label}`);
  await page.screenshot({ path: testInfo.outputPath('model-init-model.png'), fullPage: true });
});

test('the compare page overlays the runs on shared charts', async ({ page }, testInfo) => {
  await signInEngineer(page);
  await page.goto('/runs');
  await page.getByRole('checkbox', { name: `Compare run ${finished.slice(0, 8)}` }).check();
  await page.getByRole('checkbox', { name: `Compare run ${cancelled.slice(0, 8)}` }).check();
  await page.getByTestId('compare-runs').click();
  await expect(page).toHaveURL(/\/runs\/compare\?ids=/);
  await expect(page.getByTestId('run-params')).toContainText('steps');
  await expectChart(page, 'loss', [`${finished.slice(0, 8)} train`]);
  await page.screenshot({ path: testInfo.outputPath('run-compare.png'), fullPage: true });
});

test('a recipe run: its stages show in the form, a missing pretraining release is refused on its field, and the run page follows the stages', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await signInEngineer(page);
  await page.goto(`/runs/new?release=${release.id}`);
  const form = page.getByRole('form', { name: 'Launch a training run' });
  await expect(form.getByTestId('run-release')).toHaveValue(release.id);
  await form.getByTestId('run-preset').selectOption('recipe:jcs-lite');
  await expect(form.getByTestId('run-recipe-stages')).toContainText('pretrain');
  await expect(form.getByTestId('run-recipe-stages')).toContainText('finetune');
  await expect(form.getByTestId('run-steps')).toHaveCount(0);
  await form.getByTestId('run-start').click();
  await expect(form.getByTestId('run-error-pretrainReleaseId')).toContainText('pretrain');
  await form.getByTestId('run-pretrain-release').selectOption(release.id);
  await page.screenshot({ path: testInfo.outputPath('launch-form-recipe.png'), fullPage: true });
  await form.getByTestId('run-start').click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const stages = page.getByTestId('run-stages');
  await expect(stages.locator('[data-stage]')).toHaveCount(2);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 180_000 });
  await expect(stages.locator('[data-state="finished"]')).toHaveCount(2);
  await expect(page.getByTestId('run-progress')).toContainText('100%');
  await expectChart(page, 'loss', ['train']);
  await page.screenshot({ path: testInfo.outputPath('run-recipe.png'), fullPage: true });
});
