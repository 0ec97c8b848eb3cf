import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './e2e-settings';
import { authAs } from './fixtures/users';

const SECTIONS = ['Catalog', 'Annotate', 'Review', 'Releases', 'Runs', 'Models'];

test('the shell loads with its navigation: signed out, only sign-in and status', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('LesionLab');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const section of ['Sign in', 'Status']) await expect(nav.getByRole('link', { name: section, exact: true })).toBeVisible();
  for (const section of SECTIONS) await expect(nav.getByRole('link', { name: section, exact: true })).toHaveCount(0);
});

test('navigation reaches every section and marks it current', async ({ page }) => {
  await authAs(); // waits for the API
  expect((await page.request.post('/api/auth/sign-in', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })).ok()).toBe(true);
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const section of SECTIONS) {
    await nav.getByRole('link', { name: section, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/${section.toLowerCase()}$`));
    await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
    await expect(nav.getByRole('link', { name: section, exact: true })).toHaveAttribute('aria-current', 'page');
  }
});

test('the status page shows the API healthy: database, queue and storage up', async ({ page }, testInfo) => {
  await page.goto('/status');
  await expect(page.getByTestId('overall-status')).toContainText('healthy', { timeout: 30_000 });
  await expect(page.getByText('shown to admins')).toBeVisible();
  await authAs(); // waits for the API
  expect((await page.request.post('/api/auth/sign-in', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })).ok()).toBe(true);
  await page.reload();
  await expect(page.getByTestId('overall-status')).toContainText('healthy', { timeout: 30_000 });
  await expect(page.getByTestId('overall-status')).not.toContainText('unhealthy');
  for (const component of ['database', 'queue', 'storage']) {
    await expect(page.getByTestId(`component-${component}`)).toContainText('up');
  }
  await expect(page.getByTestId('component-queue')).toContainText('backend: postgres');
  await expect(page.getByTestId('component-storage')).toContainText('driver: fs');
  await page.screenshot({ path: testInfo.outputPath('status.png'), fullPage: true });
});
