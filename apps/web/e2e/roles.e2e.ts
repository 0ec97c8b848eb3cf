import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './e2e-settings';
import { drawStroke } from './fixtures/editor-page';

// Every role's job, start to finish, in the browser only: no call reaches the API from outside a page.
// An admin adds a data manager, an ML engineer and an annotator on the Users page; the data manager
// uploads the medseg-ct100 folder (slices, masks, manifest) on the Import page, then three of its slices
// without masks for the annotators, and cuts a release of the masked ones; the ML engineer makes and
// revokes an API token, trains jcs-lite (4 CPU steps) from the release page, follows the run, and reads
// the model's evaluation; the annotator takes a slice from the work queue and saves a mask; the admin
// disables the annotator, whose next request ends at the sign-in page, saying why. Every page is kept as
// a screenshot (test artifacts, attached to the report).

/** Real CT slices with lesion masks (never copied into the repository). */
const MEDSEG = path.resolve(__dirname, '../../../../shared/data/medseg-ct100');
const TAG = Date.now().toString(36);
const PEOPLE = {
  dataManager: { email: `dm-${TAG}@e2e.test`, label: 'Data manager' },
  mlEngineer: { email: `ml-${TAG}@e2e.test`, label: 'ML engineer' },
  annotator: { email: `ann-${TAG}@e2e.test`, label: 'Annotator' },
} as const;
type Person = keyof typeof PEOPLE;

/** The sidebar sections each role sees (the permission matrix decides; these are what a person expects). */
const SIDEBAR: Record<'admin' | Person, { shows: string[]; hides: string[] }> = {
  admin: { shows: ['Catalog', 'Import', 'Annotate', 'Review', 'Annotation stats', 'Releases', 'Runs', 'Models', 'Users', 'Audit', 'Account'], hides: ['Sign in'] },
  dataManager: { shows: ['Catalog', 'Import', 'Review', 'Annotation stats', 'Releases', 'Runs', 'Models', 'Audit', 'Account'], hides: ['Users', 'Annotate', 'Sign in'] },
  mlEngineer: { shows: ['Catalog', 'Annotation stats', 'Releases', 'Runs', 'Models', 'Account'], hides: ['Users', 'Import', 'Annotate', 'Review', 'Audit'] },
  annotator: { shows: ['Catalog', 'Annotate', 'Releases', 'Models', 'Account'], hides: ['Users', 'Import', 'Review', 'Annotation stats', 'Runs', 'Audit'] },
};

/** A run small enough for a CPU worker in CI time. */
const RUN = { steps: 4, batchSize: 4, imageSize: 64 };
const RELEASE = `medseg-${TAG}`;
/** Slices the data manager uploads without masks: the annotator's work queue. */
const TO_ANNOTATE = ['tr_im_0000.png', 'tr_im_0001.png', 'tr_im_0002.png'];
const MEDSEG_SLICES = existsSync(MEDSEG) ? readdirSync(path.join(MEDSEG, 'images')).length : 0;
/** images, masks and manifest.csv */
const MEDSEG_FILES = existsSync(MEDSEG) ? MEDSEG_SLICES + readdirSync(path.join(MEDSEG, 'masks')).length + 1 : 0;

const passwords = new Map<Person, string>();
let shot = 0;

/** A full-page screenshot, kept with the test's artifacts and attached to its report. */
async function keep(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  shot += 1;
  const file = testInfo.outputPath(`${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** A browser of its own for one person, signed in through the sign-in page. */
async function signedIn(browser: Browser, email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-user')).toContainText(email);
  return { context, page };
}

async function expectSidebar(page: Page, who: 'admin' | Person): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of SIDEBAR[who].shows) await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
  for (const label of SIDEBAR[who].hides) await expect(nav.getByRole('link', { name: label, exact: true })).toHaveCount(0);
}

/** Every <img> of the page has loaded (a broken or missing image has naturalWidth 0). */
async function expectImagesLoaded(page: Page): Promise<number> {
  const widths = await page.locator('img').evaluateAll((images: HTMLImageElement[]) => images.map((img) => ({ src: img.currentSrc || img.src, width: img.complete ? img.naturalWidth : 0 })));
  expect(widths.filter((img) => img.width === 0)).toEqual([]);
  return widths.length;
}

/** Scrolls to the foot of the page a screen at a time, so lazy images and charts come into view and load. */
async function scrollThrough(page: Page): Promise<void> {
  for (;;) {
    const atEnd = await page.evaluate(() => {
      window.scrollBy(0, window.innerHeight * 0.8);
      return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
    });
    await page.waitForTimeout(150);
    if (atEnd) break;
  }
}

test.describe.configure({ mode: 'serial' });

test.skip(!existsSync(path.join(MEDSEG, 'images')), `the medseg-ct100 slices are not at ${MEDSEG}`);

test('every role does its job in the browser', async ({ browser }, testInfo) => {
  test.setTimeout(15 * 60_000);
  const started = Date.now();

  // The API is up once the status page says healthy (the web server answers before the API has migrated).
  const admin = await test.step('an admin signs in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/status');
    await expect(page.getByTestId('overall-status')).toContainText('healthy', { timeout: 120_000 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).click();
    await keep(page, testInfo, 'sign-in');
    await context.close();
    return signedIn(browser, ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  await expectSidebar(admin.page, 'admin');
  await expect(admin.page.getByTestId('signed-in-user')).toContainText('Admin');

  await test.step('the admin adds a data manager, an ML engineer and an annotator', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Add a user' });
    for (const [person, { email, label }] of Object.entries(PEOPLE) as Array<[Person, (typeof PEOPLE)[Person]]>) {
      await form.getByLabel('E-mail').fill(email);
      await form.getByLabel('Role').selectOption({ label });
      await form.getByLabel('First password').selectOption({ label: 'Generate one (shown once)' });
      await form.getByRole('button', { name: 'Add user' }).click();
      const secret = page.getByTestId('new-password');
      await expect(secret).toContainText(`Password for ${email}`);
      await expect(secret).toContainText('you won’t see it again');
      const password = (await page.getByTestId('new-password-value').textContent()) ?? '';
      expect(password).toMatch(/^\S{20}$/);
      passwords.set(person, password);
      await expect(page.getByTestId(`user-${email}`)).toContainText('active');
      if (person === 'annotator') await keep(page, testInfo, 'users-new-password');
      await secret.getByRole('button', { name: 'I have copied it' }).click();
      await expect(secret).toHaveCount(0);
    }
    // The API's refusal is shown as it is: an e-mail that is taken.
    await form.getByLabel('E-mail').fill(PEOPLE.annotator.email);
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect(form.getByRole('alert')).toHaveText(`A user ${PEOPLE.annotator.email} exists already`);
    await keep(page, testInfo, 'users');
  });

  const dataManager = await signedIn(browser, PEOPLE.dataManager.email, passwords.get('dataManager')!);
  await expectSidebar(dataManager.page, 'dataManager');
  await test.step('the data manager uploads the medseg-ct100 folder (images, masks, manifest) on the Import page', async () => {
    const { page } = dataManager;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-folder-input').setInputFiles(MEDSEG);
    await expect(page.getByTestId('import-selection-count')).toHaveText(`${MEDSEG_FILES} files`);
    await expect(page.getByTestId('import-format-guess')).toContainText('manifest');
    await expect(page.getByTestId('import-format')).toHaveValue('manifest');
    await page.getByTestId('import-option-collection').fill(RELEASE);
    await page.getByTestId('import-option-label').selectOption('covid');
    await keep(page, testInfo, 'import-chosen');
    await page.getByTestId('import-start').click();
    const result = page.getByTestId('import-result');
    await expect(result.getByTestId('import-status')).toHaveText('succeeded', { timeout: 3 * 60_000 });
    await expect(result.getByTestId('import-count-imported')).toHaveText(String(MEDSEG_SLICES));
    await expect(result.getByTestId('import-count-masks')).toHaveText(String(MEDSEG_SLICES));
    await expect(result.getByTestId('import-count-failed')).toHaveText('0');
    await keep(page, testInfo, 'import-done');
  });

  await test.step('the data manager uploads a few more slices, without masks, for the annotators', async () => {
    const { page } = dataManager;
    await page.goto('/import');
    await page.getByTestId('import-files-input').setInputFiles(TO_ANNOTATE.map((name) => path.join(MEDSEG, 'images', name)));
    await expect(page.getByTestId('import-format')).toHaveValue('images');
    await page.getByTestId('import-option-collection').fill(`to-annotate-${TAG}`);
    await page.getByTestId('import-option-label').selectOption('covid');
    await page.getByTestId('import-start').click();
    const result = page.getByTestId('import-result');
    await expect(result.getByTestId('import-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(result.getByTestId('import-count-imported')).toHaveText(String(TO_ANNOTATE.length));
    await expect(result.getByTestId('import-count-masks')).toHaveText('0');
  });

  await test.step('the data manager cuts a release of the masked slices', async () => {
    const { page } = dataManager;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases', exact: true }).click();
    const form = page.getByRole('form', { name: 'Cut a release' });
    await form.getByLabel('Name').fill(RELEASE);
    await form.getByLabel('Description').fill('medseg-ct100 with its masks, cut by the role walk');
    await form.getByRole('group', { name: 'Only supervision (none: all)' }).getByLabel('pixel').check();
    await form.getByRole('button', { name: 'Cut release' }).click();
    const row = page.getByTestId('release-row').filter({ hasText: `${RELEASE} v1` });
    await expect(row.getByTestId('release-status')).toHaveAttribute('data-status', 'ready', { timeout: 2 * 60_000 });
    await keep(page, testInfo, 'releases');
  });

  const mlEngineer = await signedIn(browser, PEOPLE.mlEngineer.email, passwords.get('mlEngineer')!);
  await test.step('the ML engineer reads their account and makes, then revokes, an API token for the command line', async () => {
    const { page } = mlEngineer;
    await expectSidebar(page, 'mlEngineer');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account', exact: true }).click();
    await expect(page.getByTestId('account-email')).toHaveText(PEOPLE.mlEngineer.email);
    await expect(page.getByTestId('account-role')).toHaveText('ML engineer');
    const form = page.getByRole('form', { name: 'New API token' });
    await form.getByLabel('Name').fill('laptop CLI');
    await form.getByLabel('Expires after').selectOption({ label: '30 days' });
    await form.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByTestId('new-token')).toContainText('you won’t see it again');
    await expect(page.getByTestId('new-token-value')).toHaveText(/^llpat_\S+$/);
    const row = page.getByTestId('token-table').locator('tbody tr', { hasText: 'laptop CLI' });
    await expect(row).toContainText('live');
    await keep(page, testInfo, 'account-new-token');
    await page.getByTestId('new-token').getByRole('button', { name: 'I have copied it' }).click();
    await expect(page.getByTestId('new-token')).toHaveCount(0);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(row).toContainText('Scripts using it stop working.');
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect(row).toContainText('revoked');
    await keep(page, testInfo, 'account');
  });

  await test.step('the ML engineer trains jcs-lite on the release from its page, on CPU, and follows the run to its end', async () => {
    const { page } = mlEngineer;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases', exact: true }).click();
    await page.getByTestId('release-row').filter({ hasText: `${RELEASE} v1` }).getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${RELEASE} v1`);
    await keep(page, testInfo, 'release');
    await page.getByTestId('train-on-release').click();
    const form = page.getByTestId('launch-run-form');
    await expect(form.getByTestId('run-release')).toHaveValue(/[0-9a-f-]{36}/);
    await form.getByTestId('run-preset').selectOption('jcs-lite');
    await form.getByTestId('run-steps').fill(String(RUN.steps));
    await form.getByTestId('run-batch-size').fill(String(RUN.batchSize));
    await form.getByTestId('run-image-size').fill(String(RUN.imageSize));
    await form.getByText('Advanced settings').click();
    await form.getByTestId('run-setting-log_every').fill('1');
    await keep(page, testInfo, 'launch-run');
    await form.getByTestId('run-start').click();
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    const summary = page.getByTestId('run-summary');
    await expect(summary.getByTestId('run-status')).toHaveAttribute('data-status', /queued|running|succeeded/);
    await keep(page, testInfo, 'run-live');
    await expect(summary.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 5 * 60_000 });
    await expect(summary).toContainText('cpu');
    await expect(page.getByTestId('run-progress')).toContainText(`step ${RUN.steps} of ${RUN.steps}`);
    await keep(page, testInfo, 'run-finished');
  });

  await test.step('the ML engineer opens the model, scrolls its evaluation: every image loads, no request fails, the Dice card shows', async () => {
    const { page } = mlEngineer;
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    });
    await page.getByTestId('run-model').click();
    await expect(page).toHaveURL(/\/models\/[0-9a-f-]{36}$/);
    const evaluation = page.getByTestId('evaluation');
    await expect(evaluation).toHaveAttribute('data-status', 'succeeded', { timeout: 5 * 60_000 });
    await expect(evaluation.getByTestId('dice-card')).toContainText('Dice');
    await expect(evaluation.getByTestId('dice-card')).toContainText('95% CI');
    await expect(evaluation.getByTestId('worst-slice').first()).toBeVisible();
    await scrollThrough(page);
    await page.waitForLoadState('networkidle');
    // The worst slices' drawings: ground truth, prediction and the model's own Grad-CAM, each an <img>.
    expect(await expectImagesLoaded(page)).toBeGreaterThanOrEqual(3);
    expect(failed).toEqual([]);
    await keep(page, testInfo, 'model');
  });

  const annotator = await signedIn(browser, PEOPLE.annotator.email, passwords.get('annotator')!);
  await test.step('the annotator takes a slice from the work queue and saves a mask', async () => {
    const { page } = annotator;
    await expectSidebar(page, 'annotator');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Annotate', exact: true }).click();
    await keep(page, testInfo, 'annotate');
    await page.getByTestId('next-slice-to-annotate').click();
    await expect(page).toHaveURL(/\/annotate\/[0-9a-f-]{36}$/);
    const sliceId = page.url().split('/').pop()!;
    await expect(page.locator(`[data-testid=editor-viewport][data-loaded="${sliceId}"]`)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
    // Down the lung on the image's left (the queue may hand out any unmasked COVID slice, of any size).
    const [width, height] = await page.getByTestId('mask-canvas').evaluate((canvas: HTMLCanvasElement) => [canvas.width, canvas.height]);
    await drawStroke(page, [[0.2, 0.43], [0.245, 0.51], [0.29, 0.59]].map(([x, y]): [number, number] => [Math.round(x * width), Math.round(y * height)]));
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'unsaved');
    await page.keyboard.press('Control+s');
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved', { timeout: 15_000 });
    const area = (await page.getByTestId('lesion-area-px').textContent()) ?? '';
    expect(Number(area)).toBeGreaterThan(100);
    await keep(page, testInfo, 'editor-saved');
    await page.reload();
    await expect(page.locator(`[data-testid=editor-viewport][data-loaded="${sliceId}"]`)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('lesion-area-px')).toHaveText(area);
  });

  await test.step('the admin makes the data manager a reviewer (their sidebar follows on their next page) and resets their password', async () => {
    const { page } = admin;
    const row = page.getByTestId(`user-${PEOPLE.dataManager.email}`);
    const accounts = page.getByRole('region', { name: 'Accounts' });
    await row.getByLabel(`Role of ${PEOPLE.dataManager.email}`).selectOption({ label: 'Reviewer' });
    await row.getByRole('button', { name: 'Make reviewer' }).click();
    await expect(accounts.getByRole('status')).toHaveText(`${PEOPLE.dataManager.email} is now reviewer.`);
    await dataManager.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog', exact: true }).click();
    await expect(dataManager.page.getByTestId('signed-in-user')).toContainText('Reviewer');
    await expect(dataManager.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Annotate', exact: true })).toBeVisible();
    await expect(dataManager.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import', exact: true })).toHaveCount(0);

    await row.getByRole('button', { name: 'Reset password' }).click();
    await row.getByLabel(`New password for ${PEOPLE.dataManager.email}`).fill('too short');
    await row.getByRole('button', { name: 'Set it' }).click();
    await expect(accounts.getByRole('alert')).toContainText(`${PEOPLE.dataManager.email}: `);
    await expect(accounts.getByRole('alert')).toContainText('at least 12 characters');
    await keep(page, testInfo, 'users-weak-password');
    await row.getByRole('button', { name: 'Generate a new password' }).click();
    await expect(page.getByTestId('new-password')).toContainText(`Password for ${PEOPLE.dataManager.email}`);
    const password = (await page.getByTestId('new-password-value').textContent()) ?? '';
    await page.getByTestId('new-password').getByRole('button', { name: 'I have copied it' }).click();
    // The new password ended their sign-in: their next page is the sign-in page, and the new password opens it.
    await dataManager.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases', exact: true }).click();
    await expect(dataManager.page).toHaveURL(/\/login\?ended=session-ended/);
    await expect(dataManager.page.getByTestId('session-ended')).toContainText('your password was changed');
    const again = await signedIn(browser, PEOPLE.dataManager.email, password);
    await expect(again.page.getByTestId('signed-in-user')).toContainText('Reviewer');
    await again.context.close();
  });

  await test.step('the admin disables the annotator, who is signed out on the next request, told why', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users', exact: true }).click();
    const row = page.getByTestId(`user-${PEOPLE.annotator.email}`);
    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(row).toContainText('They are signed out on their next request.');
    await keep(page, testInfo, 'users-confirm-disable');
    await row.getByRole('button', { name: 'Yes, disable' }).click();
    await expect(row).toContainText('disabled');
    const accounts = page.getByRole('region', { name: 'Accounts' });
    await expect(accounts.getByRole('status')).toHaveText(`${PEOPLE.annotator.email} is disabled.`);
    // The last admin cannot be disabled: the API's refusal, shown as it is.
    const own = page.getByTestId(`user-${ADMIN_EMAIL}`);
    await own.getByRole('button', { name: 'Disable' }).click();
    await own.getByRole('button', { name: 'Yes, disable' }).click();
    await expect(accounts.getByRole('alert')).toHaveText(`${ADMIN_EMAIL}: This is the last active admin: make another user admin first, then disable or demote this one`);
    await keep(page, testInfo, 'users-refusal');

    await annotator.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases', exact: true }).click();
    await expect(annotator.page).toHaveURL(/\/login\?ended=account-disabled/);
    await expect(annotator.page.getByTestId('session-ended')).toHaveText('An admin has disabled your account, so you were signed out. Ask an admin to enable it again.');
    await expect(annotator.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
    await keep(annotator.page, testInfo, 'signed-out-disabled');
    // And the sign-in page refuses the account from now on.
    const form = annotator.page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('E-mail').fill(PEOPLE.annotator.email);
    await form.getByLabel('Password').fill(passwords.get('annotator')!);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(form.getByRole('alert').last()).toHaveText('Wrong e-mail or password, or the account is disabled');
  });

  for (const { context } of [admin, dataManager, mlEngineer, annotator]) await context.close();
  testInfo.annotations.push({ type: 'wall time', description: `${Math.round((Date.now() - started) / 1000)} s` });
});
