import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_PORT } from './e2e-settings';
import { acceptSquare } from './fixtures/seed';
import { syntheticChestNifti } from './fixtures/synthetic-ct';

// Seeds patients through the API, cuts a release in the browser, changes masks and adds a patient,
// cuts a second version through the API, and checks the list, the charts and the diff against the API.

const API = `http://127.0.0.1:${API_PORT}`;
const SIDE = 64;
const SLICES = 6;
const NAME = `e2e-rel-${Date.now().toString(36)}`;
// Saves the masks (fixtures/users creates it); the admin approves them: nobody reviews their own.
const ANNOTATOR = `${NAME}-annotator`;

interface Summary {
  slices: number;
  patients: number;
  unknownPatientSlices: number;
  splits: Record<string, { patients: number; slices: number; slicesBySupervision: Record<string, number>; patientsByLabel: Record<string, number>; lesionBurden: Record<string, number> }>;
  nearDuplicates: { pairs: number; crossSplitPairs: number };
}
interface Release {
  id: string;
  title: string;
  status: string;
  digest: string | null;
  summary: Summary | null;
  error: string | null;
}

// The admin's bearer token (imports, releases).
const tokens = { admin: '' };

async function signIn(email: string, password: string): Promise<string> {
  const response = await fetch(`${API}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!response.ok) throw new Error(`sign-in ${email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function api<T>(path: string, init: RequestInit = {}, token = tokens.admin): Promise<T> {
  const response = await fetch(`${API}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Imports one synthetic NIfTI volume as a patient with `label`; its slice ids in slice order. */
async function importPatient(name: string, label: 'covid' | 'negative'): Promise<string[]> {
  const form = new FormData();
  form.append('format', 'nifti');
  form.append('options', JSON.stringify({ collection: 'e2e-releases', label }));
  form.append('files', new Blob([new Uint8Array(syntheticChestNifti(SIDE, SLICES, Math.floor(Math.random() * 65536)))]), `${name}.nii`);
  const run = await api<{ id: string }>('/api/imports', { method: 'POST', body: form });
  await expect.poll(async () => (await api<{ status: string }>(`/api/imports/${run.id}`)).status, { timeout: 60_000 }).toBe('succeeded');
  const page = await api<{ items: Array<{ id: string; sliceIndex: number }> }>(`/api/slices?import=${run.id}&limit=500`);
  return page.items.sort((a, b) => a.sliceIndex - b.sliceIndex).map((s) => s.id);
}

async function waitBuilt(id: string): Promise<Release> {
  await expect.poll(async () => (await api<Release>(`/api/releases/${id}`)).status, { timeout: 60_000 }).not.toBe('building');
  return api<Release>(`/api/releases/${id}`);
}

/** A chart of the summary: an ECharts canvas, a legend of `series`, and its numbers table carrying every API count. */
async function expectChart(page: Page, chart: string, series: readonly string[], counts: Array<{ row: string; key: string; count: number }>): Promise<void> {
  const card = page.locator(`[data-chart="${chart}"]`);
  await expect(card.locator('canvas').first()).toBeVisible();
  expect((await card.getByTestId(`chart-${chart}`).getAttribute('data-series'))!.split('\n')).toEqual([...series]);
  for (const { row, key, count } of counts) await expect(card.locator(`td[data-row="${row}"][data-key="${key}"]`)).toHaveAttribute('data-count', String(count));
}

const flatten = (summary: Summary, field: 'slicesBySupervision' | 'patientsByLabel' | 'lesionBurden') =>
  Object.entries(summary.splits).flatMap(([row, split]) => Object.entries(split[field]).map(([key, count]) => ({ row, key, count })));

test.describe.configure({ mode: 'serial' });
test.beforeEach(({ page }) => page.setExtraHTTPHeaders({ authorization: `Bearer ${tokens.admin}` }));

let patientA: string[];
let first: Release;
let second: Release;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // The web server answers before the API has migrated the database and listens.
  await expect.poll(async () => (await fetch(`${API}/api/health`).catch(() => null))?.status, { timeout: 60_000 }).toBe(200);
  tokens.admin = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  patientA = await importPatient(`${NAME}-a`, 'covid');
  await importPatient(`${NAME}-b`, 'negative');
  await importPatient(`${NAME}-c`, 'covid');
  await acceptSquare(API, patientA[0], ANNOTATOR, { side: SIDE, x: 10, y: 10, size: 20 });
});

test('a release cut in the browser builds and is listed; a selection of nothing fails with its error shown', async ({ page }, testInfo) => {
  await page.goto('/releases');
  const form = page.getByRole('form', { name: 'Cut a release' });
  await form.getByLabel('Name').fill(NAME);
  await form.getByLabel('Description').fill('first cut from the e2e test');
  await form.getByRole('button', { name: 'Cut release' }).click();

  const row = page.getByTestId('release-row').filter({ hasText: `${NAME} v1` });
  await expect(row.getByTestId('release-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  first = (await api<{ items: Release[] }>('/api/releases')).items.find((r) => r.title === `${NAME} v1`)!;
  expect(first.summary).not.toBeNull();
  await expect(row.getByTestId('release-slices')).toHaveText(String(first.summary!.slices));
  await expect(row.getByTestId('release-patients')).toHaveText(String(first.summary!.patients));
  await expect(row).toContainText(first.digest!.slice(0, 12));

  // No slice is unsupervised: a release of only 'none' slices has nothing to take.
  await form.getByLabel('Name').fill(`${NAME}-empty`);
  await form.getByRole('group', { name: 'Only supervision (none: all)' }).getByLabel('none').check();
  await form.getByRole('button', { name: 'Cut release' }).click();
  const failed = page.getByTestId('release-row').filter({ hasText: `${NAME}-empty v1` });
  await expect(failed.getByTestId('release-status')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(failed.getByTestId('release-error')).toContainText('matches no slices');
  await page.screenshot({ path: testInfo.outputPath('releases-list.png'), fullPage: true });
});

test('the detail page charts the summary with ECharts (numbers as the API counts), exports download in the browser, and offers training', async ({ page }, testInfo) => {
  // The second version: one more patient, one mask redrawn (Dice < 1) and one slice masked for the first time.
  await importPatient(`${NAME}-d`, 'covid');
  await acceptSquare(API, patientA[0], ANNOTATOR, { side: SIDE, x: 16, y: 16, size: 20 });
  await acceptSquare(API, patientA[1], ANNOTATOR, { side: SIDE, x: 30, y: 30, size: 12 });
  const cut = await api<Release>('/api/releases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: NAME }) });
  second = await waitBuilt(cut.id);
  expect(second.status).toBe('ready');
  const summary = second.summary!;

  await page.goto(`/releases/${second.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${NAME} v2`);
  await expect(page.getByTestId('release-status')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('release-digest')).toHaveText(second.digest!);
  await expect(page.getByTestId('summary-slices')).toHaveText(String(summary.slices));
  await expect(page.getByTestId('summary-patients')).toHaveText(String(summary.patients));
  await expect(page.getByTestId('unknown-patient-slices')).toHaveText(String(summary.unknownPatientSlices));
  await expectChart(page, 'slices-by-supervision', ['pixel', 'patient', 'negative', 'none'], flatten(summary, 'slicesBySupervision'));
  await expectChart(page, 'patients-by-label', ['covid', 'negative', 'unknown'], flatten(summary, 'patientsByLabel'));
  await expectChart(page, 'lesion-burden', ['train', 'val', 'test'], flatten(summary, 'lesionBurden'));
  await expectChart(
    page,
    'patients-vs-slices',
    ['patients', 'slices'],
    Object.entries(summary.splits).flatMap(([row, split]) => [
      { row, key: 'patients', count: split.patients },
      { row, key: 'slices', count: split.slices },
    ]),
  );
  await expect(page.getByTestId('near-duplicate-pairs')).toHaveText(String(summary.nearDuplicates.pairs));
  await expect(page.getByTestId('cross-split-pairs')).toHaveText(String(summary.nearDuplicates.crossSplitPairs));

  await page.getByTestId('exports').getByRole('button', { name: 'Export csv' }).click();
  await expect(page.getByTestId('export-csv')).toContainText('succeeded', { timeout: 60_000 });
  // The browser's own sign-in (cookies), as a person's download carries it.
  expect((await page.request.post('/api/auth/sign-in', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })).ok()).toBe(true);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').getByRole('link', { name: 'Download .tar.gz' }).click()]);
  const exported = (await api<{ items: Array<{ format: string; archiveSha256: string }> }>(`/api/releases/${second.id}/exports`)).items.find((e) => e.format === 'csv')!;
  expect(createHash('sha256').update(fs.readFileSync(await download.path())).digest('hex')).toBe(exported.archiveSha256);
  await expect(page.getByTestId('train-on-release')).toHaveAttribute('href', `/runs/new?release=${second.id}`);
  await page.screenshot({ path: testInfo.outputPath('release-detail.png'), fullPage: true });
});

test('the diff page shows the counts, moves and mask changes of the API diff', async ({ page }, testInfo) => {
  const diff = await api<{
    slices: { added: number; removed: number; kept: number };
    patients: { added: number; removed: number };
    movedPatients: unknown[];
    changedMasks: Array<{ sliceId: string; dice: number }>;
    changedLabels: unknown[];
  }>(`/api/releases/${first.id}/diff?to=${second.id}`);
  expect(diff.slices.added).toBe(SLICES);
  expect(diff.patients.added).toBe(1);
  expect(diff.changedMasks.map((m) => m.sliceId).sort()).toEqual([patientA[0], patientA[1]].sort());

  await page.goto(`/releases/${first.id}`);
  await page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: `${NAME} v2` });
  await page.getByRole('link', { name: 'Show the diff →' }).click();
  await expect(page).toHaveURL(`/releases/${first.id}/diff/${second.id}`);

  for (const [id, count] of [
    ['diff-slices-added', diff.slices.added],
    ['diff-slices-removed', diff.slices.removed],
    ['diff-slices-kept', diff.slices.kept],
    ['diff-patients-added', diff.patients.added],
    ['diff-patients-removed', diff.patients.removed],
  ] as const) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-count', String(count));
  }
  await expect(page.getByTestId('moved-patients').locator('tbody tr')).toHaveCount(diff.movedPatients.length);
  await expect(page.getByTestId('changed-labels').locator('tbody tr')).toHaveCount(diff.changedLabels.length);
  const diceBars = page.getByTestId('changed-masks').locator('rect[data-dice]');
  await expect(diceBars).toHaveCount(diff.changedMasks.length);
  expect((await diceBars.evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-dice'))))).sort()).toEqual(diff.changedMasks.map((m) => m.dice).sort());
  await page.screenshot({ path: testInfo.outputPath('release-diff.png'), fullPage: true });
});
