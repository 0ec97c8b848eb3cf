import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { API_PORT } from './e2e-settings';
import { countOn, drawStroke, openEditor, overlayPixels } from './fixtures/editor-page';
import { currentMask } from './fixtures/seed';
import { authAs } from './fixtures/users';

const API = `http://127.0.0.1:${API_PORT}`;
/** A real CT slice with lesions (never copied into the repository). */
const MEDSEG = path.resolve(__dirname, '../../../../shared/data/medseg-ct100');
const IMAGE = 'tr_im_0003.png';
const MASK = 'tr_mask_0003.png';

/** Uploads one medseg slice (the image only: the editor starts empty) and returns its id. */
async function seedMedsegSlice(): Promise<string> {
  const form = new FormData();
  form.append('format', 'images');
  form.append('options', JSON.stringify({ collection: 'e2e-assist', label: 'covid' }));
  form.append('files', new Blob([new Uint8Array(readFileSync(path.join(MEDSEG, 'images', IMAGE)))]), `assist-${Date.now()}.png`);
  const admin = await authAs();
  const started = await fetch(`${API}/api/imports`, { method: 'POST', body: form, headers: admin });
  if (!started.ok) throw new Error(`import upload: ${started.status} ${await started.text()}`);
  const { id } = (await started.json()) as { id: string };
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const status = (await (await fetch(`${API}/api/imports/${id}`, { headers: admin })).json()) as { status: string };
    if (status.status === 'succeeded') break;
    if (status.status === 'failed') throw new Error(`import ${id} failed`);
  }
  const page = (await (await fetch(`${API}/api/slices?import=${id}&limit=5`, { headers: admin })).json()) as { items: Array<{ id: string }> };
  return page.items[0].id;
}

/** The box of the lesion pixels of the slice's ground truth that lie in the image's left half (one lung). */
async function lesionBox(): Promise<[number, number, number, number]> {
  const { data, info } = await sharp(path.join(MEDSEG, 'masks', MASK)).greyscale().raw().toBuffer({ resolveWithObject: true });
  let [x0, y0, x1, y1] = [info.width, info.height, -1, -1];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width / 2; x++) {
      if (!data[y * info.width + x]) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return [x0, y0, x1, y1];
}

async function assistDraftPixels(page: import('@playwright/test').Page): Promise<number> {
  return page.getByTestId('assist-draft-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let on = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) on++;
    return on;
  });
}

test('AI assist: a box over a lesion gives a draft, Enter accepts it as one undo step, the brush corrects it, the save keeps it', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const slice = await seedMedsegSlice();
  const [x0, y0, x1, y1] = await lesionBox();
  await openEditor(page, slice, 'ann-assist');
  expect(countOn(await overlayPixels(page))).toBe(0);

  await page.keyboard.press('i');
  await expect(page.getByTestId('assist-panel')).toBeVisible();
  // Picking the tool has the API encode the slice's image, so the first box needs only the decoder.
  await expect(page.getByTestId('assist-image')).toHaveText('assist ready: image encoded', { timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath('assist-ready.png'), fullPage: true });

  // The picker names the API's model in full, unclipped, closed and open.
  const [shipped] = ((await (await fetch(`${API}/api/assist/models`, { headers: await authAs('ann-assist') })).json()) as { items: Array<{ name: string; version: string }> }).items;
  const fullName = `${shipped.name} · ${shipped.version}`;
  const picker = page.getByTestId('assist-model');
  await expect(picker.locator('option:checked')).toHaveText(fullName);
  const clipped = (element: HTMLElement) => element.scrollWidth > element.clientWidth;
  expect(await picker.evaluate(clipped)).toBe(false);
  await picker.click();
  const option = picker.getByRole('option', { name: fullName });
  await expect(option).toBeVisible();
  expect(await option.evaluate(clipped)).toBe(false);
  await page.screenshot({ path: testInfo.outputPath('assist-model-open.png'), fullPage: true });
  const open = (select: HTMLElement) => select.matches(':open');
  expect(await picker.evaluate(open)).toBe(true);
  // Esc closes the picker (the editor leaves the picker's keys alone).
  await page.keyboard.press('Escape');
  await expect.poll(() => picker.evaluate(open)).toBe(false);

  await drawStroke(page, [[x0, y0], [x1, y1]], 4);
  await expect(page.getByTestId('assist-status')).toContainText('draft of 1 box', { timeout: 20_000 });
  const drafted = await assistDraftPixels(page);
  expect(drafted).toBeGreaterThan(200);
  expect(countOn(await overlayPixels(page))).toBe(0);
  await page.screenshot({ path: testInfo.outputPath('assist-draft.png'), fullPage: true });

  await page.keyboard.press('Enter');
  await page.screenshot({ path: testInfo.outputPath('assist-accepted.png'), fullPage: true });
  const accepted = countOn(await overlayPixels(page));
  expect(accepted).toBeGreaterThan(200);
  expect(await assistDraftPixels(page)).toBe(0);
  await page.keyboard.press('Control+z');
  expect(countOn(await overlayPixels(page))).toBe(0);
  await page.keyboard.press('Control+Shift+z');
  expect(countOn(await overlayPixels(page))).toBe(accepted);

  await page.keyboard.press('b');
  await drawStroke(page, [[x1 + 20, y0], [x1 + 40, y0 + 20]]);
  const corrected = countOn(await overlayPixels(page));
  expect(corrected).toBeGreaterThan(accepted);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved', { timeout: 10_000 });
  expect((await currentMask(API, slice, 'ann-assist'))?.area).toBe(corrected);
  await page.screenshot({ path: testInfo.outputPath('assist-accepted-corrected.png'), fullPage: true });
});
