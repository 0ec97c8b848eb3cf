import { expect, test } from '@playwright/test';
import { createEmptyMask, encodeCocoRle } from '@lesionlab/mask';
import { API_PORT } from './e2e-settings';
import { seedScan } from './fixtures/seed';
import { authAs, signInPage } from './fixtures/users';

// Seeds a scan through the API, gives one slice an approved mask and another a submitted one, then
// checks the catalog's review-state and lesion-area badges and filters in the browser.

const API = `http://127.0.0.1:${API_PORT}`;
const SIDE = 64;
const ANNOTATOR = 'catalog-annotator';

async function api<T>(path: string, init: RequestInit, auth: Record<string, string>): Promise<T> {
  const response = await fetch(`${API}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>), ...auth } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Submits a `size`² square mask on a slice as the annotator; returns the revision id. */
async function submitSquare(sliceId: string, size: number): Promise<string> {
  const mask = createEmptyMask(SIDE, SIDE);
  for (let y = 20; y < 20 + size; y++) mask.data.fill(1, y * SIDE + 20, y * SIDE + 20 + size);
  const body = JSON.stringify({ rle: encodeCocoRle(mask), state: 'submitted' });
  const saved = await api<{ revisionId: string }>(`/api/slices/${sliceId}/mask`, { method: 'PUT', body, headers: { 'If-None-Match': '*' } }, await authAs(ANNOTATOR));
  return saved.revisionId;
}

test('the catalog shows review state and lesion area badges and filters by them', async ({ page }, testInfo) => {
  const scan = await seedScan(API, `e2e-cat-${Date.now().toString(36)}`, SIDE, 4);
  const [, approved, submitted] = scan.sliceIds;
  const admin = await authAs();
  await api(`/api/revisions/${await submitSquare(approved, 10)}/approve`, { method: 'POST', body: '{}' }, admin);
  await submitSquare(submitted, 6);
  const { patientId } = await api<{ patientId: string }>(`/api/slices/${approved}`, {}, admin);

  await signInPage(page, ANNOTATOR);
  await page.goto(`/catalog?patient=${patientId}`);
  const thumbs = page.getByTestId('slice-thumb');
  await expect(thumbs).toHaveCount(4);
  const thumbOf = (sliceId: string) => thumbs.filter({ has: page.locator(`a[href="/annotate/${sliceId}"]`) });
  await expect(thumbOf(approved).getByTestId('review-badge')).toHaveText('approved');
  await expect(thumbOf(approved).getByTestId('area-badge')).toHaveAttribute('title', /100 px$/);
  await expect(thumbOf(submitted).getByTestId('review-badge')).toHaveText('in review');
  await expect(thumbOf(submitted).getByTestId('area-badge')).toHaveCount(0);
  await expect(thumbOf(scan.sliceIds[0]).getByTestId('review-badge')).toHaveText('unreviewed');
  await expect(page.getByLabel('Review')).toContainText('approved (1)');
  await page.screenshot({ path: testInfo.outputPath('catalog.png'), fullPage: true });

  await page.getByLabel('Review').selectOption('approved');
  await expect(thumbs).toHaveCount(1);
  await expect(thumbOf(approved)).toBeVisible();
  await expect(page.getByTestId('catalog-total')).toHaveText('1 slices');

  await page.getByLabel('Review').selectOption('');
  await page.getByLabel('min lesion area (px)').fill('101');
  await page.getByLabel('min lesion area (px)').press('Enter');
  await expect(page.getByText('No slices match')).toBeVisible();
  await page.getByLabel('min lesion area (px)').fill('100');
  await page.getByLabel('max lesion area (px)').fill('100');
  await page.getByLabel('max lesion area (px)').press('Enter');
  await expect(thumbs).toHaveCount(1);
  await expect(thumbOf(approved)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('catalog-area-filter.png'), fullPage: true });
});
