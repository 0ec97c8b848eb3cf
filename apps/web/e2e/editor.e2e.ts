import { expect, test } from '@playwright/test';
import { API_PORT } from './e2e-settings';
import { countOn, drawStroke, openEditor, overlayPixels, slicePixel } from './fixtures/editor-page';
import { currentMask, maskRevisions, seedScan, type SeededScan } from './fixtures/seed';

const API = `http://127.0.0.1:${API_PORT}`;
const SIDE = 512;
let scan: SeededScan;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  scan = await seedScan(API, 'e2e-editor', SIDE, 8);
});

test('a mouse stroke is autosaved and is there after a reload (pixel count checked through the API)', async ({ page }, testInfo) => {
  const slice = scan.sliceIds[0];
  await openEditor(page, slice, 'ann-autosave');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await drawStroke(page, [[150, 200], [200, 230], [260, 240]]);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'unsaved');
  const drawn = countOn(await overlayPixels(page));
  expect(drawn).toBeGreaterThan(500);
  await page.screenshot({ path: testInfo.outputPath('editor-after-stroke.png') });
  // No Ctrl+S: the autosave sends it a few seconds after the last stroke.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved', { timeout: 10_000 });
  const stored = await currentMask(API, slice, 'ann-autosave');
  expect(stored?.area).toBe(drawn);
  await page.reload();
  await expect(page.locator(`[data-testid=editor-viewport][data-loaded="${slice}"]`)).toBeVisible();
  expect(countOn(await overlayPixels(page))).toBe(drawn);
  await expect(page.getByTestId('lesion-area-px')).toHaveText(String(drawn));
});

test('undo and redo restore the exact pixels', async ({ page }) => {
  await openEditor(page, scan.sliceIds[1], 'ann-undo');
  const empty = await overlayPixels(page);
  await drawStroke(page, [[120, 150], [220, 180]]);
  const afterFirst = await overlayPixels(page);
  await page.keyboard.press('e');
  await drawStroke(page, [[170, 140], [170, 200]]);
  await page.keyboard.press('b');
  await page.keyboard.press(']');
  await drawStroke(page, [[300, 300], [340, 330]]);
  const afterThird = await overlayPixels(page);
  expect(countOn(afterThird)).toBeGreaterThan(countOn(afterFirst));

  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  expect(await overlayPixels(page)).toEqual(afterFirst);
  await page.keyboard.press('Control+z');
  expect(await overlayPixels(page)).toEqual(empty);
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  expect(await overlayPixels(page)).toEqual(afterThird);
});

test('a window preset changes the rendered pixels (16-bit HU windowed in the browser)', async ({ page }, testInfo) => {
  await openEditor(page, scan.sliceIds[2], 'ann-window');
  // A lung pixel (about -860 HU): dark grey in the lung window W1500/L-600 (≈ 83), black in mediastinum W400/L40.
  const lung = { x: Math.round(SIDE * 0.67), y: Math.round(SIDE * 0.55) };
  const inLungWindow = await slicePixel(page, lung.x, lung.y);
  expect(inLungWindow).toBeGreaterThan(70);
  expect(inLungWindow).toBeLessThan(100);
  await page.keyboard.press('2');
  await expect(page.getByTestId('window-values')).toHaveText('W 400 / L 40');
  expect(await slicePixel(page, lung.x, lung.y)).toBe(0);
  await page.screenshot({ path: testInfo.outputPath('editor-mediastinum-window.png') });
  await page.getByTestId('preset-lung').click();
  expect(await slicePixel(page, lung.x, lung.y)).toBe(inLungWindow);
});

test('hotkeys switch tools, size the brush and open the cheat-sheet', async ({ page }) => {
  await openEditor(page, scan.sliceIds[3], 'ann-keys');
  for (const [key, tool] of [['e', 'eraser'], ['p', 'lasso'], ['f', 'flood'], ['t', 'threshold'], ['b', 'brush']]) {
    await page.keyboard.press(key);
    await expect(page.getByTestId(`tool-${tool}`)).toHaveAttribute('aria-checked', 'true');
    // only the tools that paint a disc show its radius
    await expect(page.getByTestId('brush-radius')).toHaveCount(['eraser', 'threshold', 'brush'].includes(tool) ? 1 : 0);
  }
  const radius = Number(await page.getByTestId('brush-radius').textContent());
  await page.keyboard.press(']');
  await expect(page.getByTestId('brush-radius')).not.toHaveText(String(radius));
  expect(Number(await page.getByTestId('brush-radius').textContent())).toBeGreaterThan(radius);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
});

test('two tabs edit the same slice: the second sees the conflict and neither mask is lost', async ({ browser }, testInfo) => {
  const slice = scan.sliceIds[4];
  const user = 'ann-two-tabs';
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await openEditor(first, slice, user);
  await openEditor(second, slice, user);

  await drawStroke(first, [[120, 200], [200, 200]]);
  await expect(first.getByTestId('save-status')).toHaveAttribute('data-status', 'unsaved');
  await first.keyboard.press('Control+s');
  await expect(first.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  const firstRevision = await currentMask(API, slice, user);

  await drawStroke(second, [[300, 300], [380, 320]]);
  await second.keyboard.press('Control+s');
  const conflict = second.getByTestId('conflict-view');
  await expect(conflict).toBeVisible();
  await expect(second.getByTestId('save-status')).toHaveAttribute('data-status', 'conflict');
  const mine = Number(await second.getByTestId('conflict-mine-area').textContent());
  const theirs = Number(await second.getByTestId('conflict-theirs-area').textContent());
  expect(mine).toBeGreaterThan(0);
  expect(theirs).toBe(firstRevision!.area);
  await second.screenshot({ path: testInfo.outputPath('editor-conflict.png') });

  await second.getByRole('button', { name: 'Merge (union)' }).click();
  await expect(second.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  const merged = await currentMask(API, slice, user);
  // The strokes do not overlap: the union holds both.
  expect(merged!.area).toBe(mine + theirs);
  expect(countOn(await overlayPixels(second))).toBe(mine + theirs);
  const history = await maskRevisions(API, slice, user);
  expect(history.map((r) => r.revisionId)).toContain(firstRevision!.revisionId);
});

test('going offline mid-edit keeps the strokes and sends them when the network is back', async ({ page, context }, testInfo) => {
  const slice = scan.sliceIds[5];
  const user = 'ann-offline';
  await openEditor(page, slice, user);
  await drawStroke(page, [[140, 220], [200, 260]]);
  await context.setOffline(true);
  await drawStroke(page, [[320, 220], [360, 280]]);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'offline');
  await page.screenshot({ path: testInfo.outputPath('editor-offline.png') });
  expect(await currentMask(API, slice, user)).toBeNull();
  const shown = countOn(await overlayPixels(page));

  await context.setOffline(false);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved', { timeout: 20_000 });
  expect((await currentMask(API, slice, user))?.area).toBe(shown);
});

test('←/→ move through the scan with the neighbours prefetched', async ({ page }) => {
  await openEditor(page, scan.sliceIds[6], 'ann-nav');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator(`[data-testid=editor-viewport][data-loaded="${scan.sliceIds[7]}"]`)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/annotate/${scan.sliceIds[7]}$`));
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator(`[data-testid=editor-viewport][data-loaded="${scan.sliceIds[6]}"]`)).toBeVisible();
});
