import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_PORT } from './e2e-settings';
import { seedScan } from './fixtures/seed';
import { authAs } from './fixtures/users';

// A run started through the API: its page follows it over the server-sent event stream (state, model,
// step) as the browser reads it through the typed client.

const API = `http://127.0.0.1:${API_PORT}`;

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${API}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(await authAs()) } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

test('the run page shows a run live from its event stream', async ({ page }, testInfo) => {
  const name = `e2e-run-${Date.now().toString(36)}`;
  await seedScan(API, name, 64, 4);
  const release = await api<{ id: string }>('/api/releases', { method: 'POST', body: JSON.stringify({ name }) });
  await expect.poll(async () => (await api<{ status: string }>(`/api/releases/${release.id}`)).status, { timeout: 60_000 }).toBe('ready');
  const run = await api<{ id: string }>('/api/runs', { method: 'POST', body: JSON.stringify({ releaseId: release.id, model: 'jcs-lite', steps: 1 }) });

  const signedIn = await page.request.post('/api/auth/sign-in', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  expect(signedIn.ok()).toBe(true);
  await page.goto(`/runs/${run.id}`);
  const summary = page.getByTestId('run-summary');
  await expect(summary).toContainText('jcs-lite', { timeout: 30_000 });
  await expect(summary).toContainText(/queued|running|succeeded|failed|cancelled/);
  await page.screenshot({ path: testInfo.outputPath('run-view.png') });
});
