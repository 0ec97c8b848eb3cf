import { expect, test, type Page } from '@playwright/test';
import { API_PORT } from './e2e-settings';
import { countOn, openEditor, overlayPixels } from './fixtures/editor-page';
import { seedModelDraft, type SeededDraft } from './fixtures/model-draft';
import { currentMask, seedScan, type SeededScan } from './fixtures/seed';

const API = `http://127.0.0.1:${API_PORT}`;
const SIDE = 256;
let scan: SeededScan;
let accepted: SeededDraft;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  scan = await seedScan(API, 'e2e-suggestions', SIDE, 2);
  // Over the synthetic lesion of slice 0 (around x 0.3, y 0.45 of the side).
  accepted = await seedModelDraft(scan.sliceIds[0], { x: 64, y: 100, width: 30, height: 36 }, 0.5);
  await seedModelDraft(scan.sliceIds[1], { x: 60, y: 96, width: 20, height: 20 }, 0.99);
});

/** Pixels of a layer canvas with any opacity, and how many of them are bluer than red (the suggestion's cyan). */
async function layer(page: Page, testId: string): Promise<{ shown: number; bluish: number; sum: number }> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let shown = 0;
    let bluish = 0;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      sum += data[i] + data[i + 1] + data[i + 2] + data[i + 3];
      if (data[i + 3] === 0) continue;
      shown++;
      if (data[i + 2] > data[i]) bluish++;
    }
    return { shown, bluish, sum };
  });
}

test('the work queue opens the slice the model is least sure about first', async ({ page }) => {
  await openEditor(page, scan.sliceIds[0], 'ann-suggest');
  await page.goto('/annotate');
  await page.getByTestId('next-slice-to-annotate').click();
  await expect(page).toHaveURL(new RegExp(`/annotate/${scan.sliceIds[1]}$`));
});

test('a model draft shows as its own overlay; Grad-CAM toggles a heat map; accept saves it as the annotator’s mask', async ({ page }, testInfo) => {
  const slice = scan.sliceIds[0];
  await openEditor(page, slice, 'ann-suggest');
  await expect(page.getByTestId('suggestion-panel')).toBeVisible();
  const suggestion = await layer(page, 'suggestion-canvas');
  expect(suggestion.shown).toBe(accepted.area);
  expect(suggestion.bluish).toBe(accepted.area);
  expect(countOn(await overlayPixels(page))).toBe(0);
  await page.screenshot({ path: testInfo.outputPath('suggestion-overlay.png') });

  expect((await layer(page, 'gradcam-canvas')).sum).toBe(0);
  await page.keyboard.press('g');
  await expect(page.getByTestId('gradcam-toggle')).toBeChecked();
  expect((await layer(page, 'gradcam-canvas')).shown).toBe(SIDE * SIDE);
  await page.screenshot({ path: testInfo.outputPath('suggestion-gradcam.png') });
  await page.keyboard.press('g');
  await expect(page.getByTestId('gradcam-toggle')).not.toBeChecked();
  expect((await layer(page, 'gradcam-canvas')).sum).toBe(0);

  await page.keyboard.press('a');
  await expect(page.getByTestId('suggestion-panel')).toBeHidden();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await expect.poll(async () => (await currentMask(API, slice, 'ann-suggest'))?.author ?? null, { timeout: 10_000 }).toBe('ann-suggest@e2e.test');
  const stored = await currentMask(API, slice, 'ann-suggest');
  expect(stored).toMatchObject({ area: accepted.area, author: 'ann-suggest@e2e.test' });
  expect(stored!.revisionId).not.toBe(accepted.revisionId);
  expect(countOn(await overlayPixels(page))).toBe(accepted.area);
  expect((await layer(page, 'suggestion-canvas')).shown).toBe(0);
  await page.screenshot({ path: testInfo.outputPath('suggestion-accepted.png') });
});

test('a discarded suggestion stays hidden after a reload', async ({ page }) => {
  const slice = scan.sliceIds[1];
  await openEditor(page, slice, 'ann-discard');
  await expect(page.getByTestId('suggestion-panel')).toBeVisible();
  await page.keyboard.press('d');
  await expect(page.getByTestId('suggestion-panel')).toBeHidden();
  await page.reload();
  await expect(page.locator(`[data-testid=editor-viewport][data-loaded="${slice}"]`)).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('suggestion-panel')).toBeHidden();
  expect((await layer(page, 'suggestion-canvas')).shown).toBe(0);
});
