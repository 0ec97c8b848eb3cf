import { expect, test, type Page } from '@playwright/test';
import { createEmptyMask, encodeCocoRle } from '@lesionlab/mask';
import { API_PORT } from './e2e-settings';
import { seedScan } from './fixtures/seed';
import { authAs } from './fixtures/users';

// An ML engineer reads a model's evaluation: a jcs-lite CPU run trained on masked COVID scans and
// negative scans, evaluated by the worker on its test split. Every image of the page loads (the worst
// slices' ground truth, prediction and the model's own Grad-CAM) with no 4xx, the per-slice table sorts,
// a drawing opens full size, the raw report hides behind Details, and the model is promoted.

const API = `http://127.0.0.1:${API_PORT}`;
const NAME = `e2e-model-${Date.now().toString(36)}`;
const ENGINEER = `${NAME}-ml@e2e.test`;
const PASSWORD = 'e2e-ml-engineer-password';
const SIDE = 64;

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${API}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(await authAs()), ...init.headers } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A submitted lesion mask over the synthetic opacity's neighbourhood, so the slice is pixel-supervised. */
async function submitMask(sliceId: string): Promise<void> {
  const mask = createEmptyMask(SIDE, SIDE);
  for (let y = 24; y < 36; y++) for (let x = 16; x < 26; x++) mask.data[y * SIDE + x] = 1;
  await api(`/api/slices/${sliceId}/mask`, { method: 'PUT', headers: { 'If-None-Match': '*' }, body: JSON.stringify({ rle: encodeCocoRle(mask), state: 'submitted' }) });
}

/** Every <img> on the page has loaded pixels; returns how many there are. */
async function expectImagesLoaded(page: Page): Promise<number> {
  await expect.poll(() => page.locator('img').evaluateAll((images) => images.filter((i) => !(i as HTMLImageElement).complete).length)).toBe(0);
  const widths = await page.locator('img').evaluateAll((images) => images.map((i) => (i as HTMLImageElement).naturalWidth));
  expect(widths.filter((w) => w === 0)).toEqual([]);
  return widths.length;
}

let modelId: string;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  for (let patient = 0; patient < 4; patient++) {
    const scan = await seedScan(API, `${NAME}-covid-${patient}`, SIDE, 3);
    for (const sliceId of scan.sliceIds) await submitMask(sliceId);
    await seedScan(API, `${NAME}-negative-${patient}`, SIDE, 3, 'negative');
  }
  const cut = await api<{ id: string }>('/api/releases', { method: 'POST', body: JSON.stringify({ name: NAME, ratios: { train: 50, val: 25, test: 25 }, labelPolicy: 'latest-submitted' }) });
  await expect.poll(async () => (await api<{ status: string }>(`/api/releases/${cut.id}`)).status, { timeout: 60_000 }).toBe('ready');
  const run = await api<{ id: string }>('/api/runs', { method: 'POST', body: JSON.stringify({ releaseId: cut.id, model: 'jcs-lite', steps: 4, batchSize: 2, imageSize: SIDE }) });
  await expect.poll(async () => (await api<{ status: string }>(`/api/runs/${run.id}`)).status, { timeout: 180_000, intervals: [1000] }).toBe('succeeded');
  modelId = (await api<{ modelId: string }>(`/api/runs/${run.id}`)).modelId;
  const model = await api<{ evaluations: Array<{ id: string }> }>(`/api/models/${modelId}`);
  await expect.poll(async () => (await api<{ status: string }>(`/api/evaluations/${model.evaluations[0].id}`)).status, { timeout: 120_000, intervals: [1000] }).toBe('succeeded');
  await api('/api/users', { method: 'POST', body: JSON.stringify({ email: ENGINEER, role: 'ml-engineer', password: PASSWORD }) });
});

test('a model page: cards, ROC, confusion matrices, worst slices with the model’s own Grad-CAM, a sortable table, a lightbox, details, promotion', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${new URL(response.url()).pathname}${new URL(response.url()).search}`);
  });
  expect((await page.request.post('/api/auth/sign-in', { data: { email: ENGINEER, password: PASSWORD } })).ok()).toBe(true);

  await page.goto('/models');
  await page.getByTestId('model-list').getByRole('link', { name: /jcs-lite v\d+/ }).first().waitFor();
  await page.screenshot({ path: testInfo.outputPath('models-list.png'), fullPage: true });

  await page.goto(`/models/${modelId}`);
  const evaluation = page.getByTestId('evaluation');
  await expect(evaluation).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('dice-card')).toContainText('95% CI');
  await expect(page.getByTestId('auc-card')).toBeVisible();
  await expect(page.getByTestId('patient-accuracy-card')).toBeVisible();
  await expect(page.getByTestId('roc-chart').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('confusion-slices')).toBeVisible();
  await expect(page.getByTestId('confusion-patients')).toBeVisible();
  const worst = page.getByTestId('worst-slice');
  expect(await worst.count()).toBeGreaterThan(0);
  for (const kind of ['truth', 'prediction', 'gradcam']) await expect(worst.first().getByTestId(`drawing-${kind}`)).toBeVisible();
  await expect(page.locator('pre')).toBeHidden(); // the raw report only behind Details
  await page.mouse.wheel(0, 4000);
  expect(await expectImagesLoaded(page)).toBe(3 * (await worst.count()));
  await page.screenshot({ path: testInfo.outputPath('model-page.png'), fullPage: true });

  // every slice has a predicted area (0 included), whether or not it has a mask
  expect(await page.getByTestId('slice-predicted-area').allTextContents()).not.toContain('–');
  const dice = async () => (await page.getByTestId('slice-dice').allTextContents()).filter((t) => t !== '–').map(Number);
  const ascending = await dice();
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  await page.getByTestId('sort-dice').click();
  await expect(page.getByTestId('sort-dice').locator('..')).toHaveAttribute('aria-sort', 'descending');
  const descending = await dice();
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  const firstRow = page.getByTestId('slice-row').first();
  await expect(firstRow.getByRole('link')).toHaveAttribute('href', `/annotate/${await firstRow.getAttribute('data-slice-id')}`);

  await worst.first().getByTestId('drawing-gradcam').click();
  const lightbox = page.getByTestId('lightbox');
  await expect(lightbox).toBeVisible();
  await expect.poll(() => lightbox.locator('img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(SIDE);
  await page.screenshot({ path: testInfo.outputPath('model-lightbox.png') });
  await page.keyboard.press('Escape');
  await expect(lightbox).toBeHidden();

  await page.getByTestId('evaluation-details').locator('summary').click();
  await expect(page.getByTestId('evaluation-details').locator('pre')).toContainText('"classification"');

  await page.getByTestId('promote').click();
  await expect(page.getByRole('group', { name: 'Confirm the stage change' })).toContainText('Promote jcs-lite');
  await page.getByTestId('confirm-stage').click();
  await expect(page.getByTestId('model-stage')).toHaveAttribute('data-stage', 'production');
  await expect(page.getByTestId('promote')).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('model-promoted.png'), fullPage: true });
  expect(failed).toEqual([]);
});
