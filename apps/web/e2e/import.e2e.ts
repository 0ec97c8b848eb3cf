import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_PORT } from './e2e-settings';

// A data manager uploads the medseg-ct100 folder (manifest.csv, 50 images, 50 masks) through the
// import page's folder picker, adds one corrupt PNG with the file picker, watches the upload's
// progress and the import finish, reads the corrupt file's reason in the failures table, and finds
// the slices in the catalog. The API is only called outside the browser to create the person.

const API = `http://127.0.0.1:${API_PORT}`;
const MEDSEG = path.resolve(__dirname, '../../../../shared/data/medseg-ct100');
const EMAIL = `import-manager-${Date.now().toString(36)}@e2e.test`;
const PASSWORD = 'e2e-import-password';
const SHOTS = process.env.IMPORT_SHOTS_DIR;

async function createDataManager(): Promise<void> {
  const signIn = await fetch(`${API}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
  if (!signIn.ok) throw new Error(`admin sign-in: ${signIn.status} ${await signIn.text()}`);
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  const created = await fetch(`${API}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ email: EMAIL, role: 'data-manager', password: PASSWORD }),
  });
  if (!created.ok) throw new Error(`create the data manager: ${created.status} ${await created.text()}`);
}

async function keep(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const shot = await page.screenshot({ fullPage: true });
  await testInfo.attach(name, { body: shot, contentType: 'image/png' });
  if (SHOTS) fs.writeFileSync(path.join(SHOTS, `${name}.png`), shot);
}

test.skip(!fs.existsSync(path.join(MEDSEG, 'manifest.csv')), `the medseg-ct100 data is not at ${MEDSEG}`);

test('a data manager uploads medseg-ct100 with its masks and a corrupt file through the import page', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await createDataManager();
  const signedIn = await page.request.post('/api/auth/sign-in', { data: { email: EMAIL, password: PASSWORD } });
  expect(signedIn.ok()).toBe(true);

  await page.goto('/import');
  await expect(page.getByRole('heading', { name: 'Import', level: 1 })).toBeVisible();
  await expect(page.getByTestId('import-history')).toBeVisible();
  await keep(page, testInfo, 'import-empty');

  // The form refuses what the API's schema refuses, naming the field, before anything is sent.
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-problem')).toHaveText(/Choose a folder or files/);
  // A server path outside IMPORT_ALLOWED_ROOTS: the API's own problem detail, as it is.
  await page.getByTestId('import-source-path').click();
  await page.getByTestId('import-path').fill('/etc');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-problem')).toHaveText(/^source: /);
  await keep(page, testInfo, 'import-api-problem');
  await page.getByTestId('import-source-upload').click();

  // Files dropped on the zone join the selection (Clear empties it again).
  await page.getByTestId('import-drop-zone').evaluate((zone) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(64)], 'dropped.png', { type: 'image/png' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('import-selection-count')).toHaveText('1 file');
  await expect(page.getByTestId('import-selection')).toContainText('dropped.png');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('import-selection')).toHaveCount(0);

  await page.getByTestId('import-folder-input').setInputFiles(MEDSEG);
  await expect(page.getByTestId('import-selection-count')).toHaveText('101 files');
  await expect(page.getByTestId('import-selection')).toContainText('from the folder medseg-ct100/');
  await expect(page.getByTestId('import-format')).toHaveValue('manifest');
  await expect(page.getByTestId('import-format-guess')).toContainText('manifest.csv');
  await expect(page.getByTestId('import-option-collection')).toHaveValue('medseg-ct100');
  await page.getByTestId('import-files-input').setInputFiles({ name: 'tr_im_corrupt.png', mimeType: 'image/png', buffer: randomBytes(4096) });
  await expect(page.getByTestId('import-selection-count')).toHaveText('102 files');
  await page.getByTestId('import-option-label').selectOption('covid');

  await page.getByTestId('import-option-maskThreshold').fill('300');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('error-maskThreshold')).toContainText('255');
  await keep(page, testInfo, 'import-field-error');
  await page.getByTestId('import-option-maskThreshold').fill('1');
  await expect(page.getByTestId('error-maskThreshold')).toHaveCount(0);
  await keep(page, testInfo, 'import-files-chosen');

  // A slow link (1 MB/s up) so that the upload's progress can be seen; 7 MB take a few seconds.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  await page.getByTestId('import-start').click();
  const upload = page.getByTestId('upload-progress');
  await expect(upload).toContainText('Uploading');
  await expect(upload.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^([1-9]\d?)$/);
  await expect(upload).toContainText(/ of 7\.\d MB/);
  await keep(page, testInfo, 'import-uploading');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  const result = page.getByTestId('import-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(/\/import\?id=[0-9a-f-]{36}$/);
  await expect(result.getByTestId('import-status')).toHaveText('succeeded', { timeout: 90_000 });
  await expect(result.getByTestId('import-count-found')).toHaveText('50');
  await expect(result.getByTestId('import-count-failed')).toHaveText('1');
  const imported = Number(await result.getByTestId('import-count-imported').textContent());
  const duplicates = Number(await result.getByTestId('import-count-duplicates').textContent());
  expect(imported + duplicates).toBe(50);
  const failure = result.getByTestId('import-failure');
  await expect(failure).toHaveCount(1);
  await expect(failure).toContainText('tr_im_corrupt.png');
  await expect(failure).toContainText('is not an image that decodes');
  await expect(page.getByTestId('import-history-row').first()).toHaveAttribute('aria-current', 'true');
  await keep(page, testInfo, 'import-done-with-failure');

  await result.getByTestId('import-catalog-link').click();
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.getByTestId('catalog-total')).toHaveText(/^\d+ slices$/);
  expect(Number((await page.getByTestId('catalog-total').textContent())!.split(' ')[0])).toBeGreaterThanOrEqual(50);
  const thumbs = page.getByTestId('slice-thumb').locator('img');
  await expect(thumbs.first()).toBeVisible();
  await expect.poll(() => thumbs.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await keep(page, testInfo, 'import-catalog');
});
