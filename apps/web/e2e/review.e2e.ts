import { expect, test } from '@playwright/test';
import { createEmptyMask, encodeCocoRle } from '@lesionlab/mask';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_PORT } from './e2e-settings';
import { seedScan } from './fixtures/seed';
import { authAs, emailOf } from './fixtures/users';

// An annotator submits a mask through the API; an admin opens the review board in the browser, sees it
// beside "no accepted mask before", is refused a reject without a comment, and approves it.

const API = `http://127.0.0.1:${API_PORT}`;
const SIDE = 64;
const ANNOTATOR = 'review-annotator';

async function api<T>(path: string, init: RequestInit, auth: Record<string, string>): Promise<T> {
  const response = await fetch(`${API}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>), ...auth } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

test('the review board shows a submitted mask and records the approval', async ({ page }, testInfo) => {
  const [sliceId] = (await seedScan(API, `e2e-review-${Date.now().toString(36)}`, SIDE, 2)).sliceIds;
  const mask = createEmptyMask(SIDE, SIDE);
  for (let y = 16; y < 32; y++) mask.data.fill(1, y * SIDE + 16, y * SIDE + 32);
  const submitted = await api<{ revisionId: string }>(
    `/api/slices/${sliceId}/mask`,
    { method: 'PUT', body: JSON.stringify({ rle: encodeCocoRle(mask), state: 'submitted' }), headers: { 'If-None-Match': '*' } },
    await authAs(ANNOTATOR),
  );

  const signedIn = await page.request.post('/api/auth/sign-in', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  expect(signedIn.ok()).toBe(true);
  await page.goto('/review');
  await page.getByTestId('review-queue').getByRole('button', { name: new RegExp(emailOf(ANNOTATOR)) }).click();
  await expect(page.getByTestId('review-submitted')).toContainText(`Submitted by ${emailOf(ANNOTATOR)}`);
  await expect(page.getByTestId('review-previous')).toContainText('No accepted mask before');
  await page.screenshot({ path: testInfo.outputPath('review-board.png') });

  await page.getByRole('button', { name: 'Reject (R)' }).click();
  await expect(page.getByText('A rejection needs a comment.')).toBeVisible();
  await page.getByRole('button', { name: 'Approve (A)' }).click();
  await expect(page.getByText('Approved.')).toBeVisible();

  // An approval is a new revision (state approved) whose parent is the submitted one.
  const history = await api<{ items: Array<{ revisionId: string; parentId: string | null; state: string }> }>(`/api/slices/${sliceId}/mask/revisions`, {}, await authAs());
  expect(history.items.filter((r) => r.state === 'approved').map((r) => r.parentId)).toEqual([submitted.revisionId]);
});
