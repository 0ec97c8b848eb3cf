import { expect, test, type Page } from '@playwright/test';
import { createEmptyMask, encodeCocoRle } from '@lesionlab/mask';
import { ADMIN_EMAIL, ADMIN_PASSWORD, API_PORT } from './e2e-settings';
import { countOn, drawStroke, openEditor, overlayPixels } from './fixtures/editor-page';
import { seedModelDraft, type SeededDraft } from './fixtures/model-draft';
import { seedScan, type SeededScan } from './fixtures/seed';
import { authAs, emailOf } from './fixtures/users';

const API = `http://127.0.0.1:${API_PORT}`;
const SIDE = 256;
let scan: SeededScan;
let suggestion: SeededDraft;

interface Revision {
  revisionId: string;
  author: string;
  area: number;
  createdAt: string;
  origin: {
    kind: string;
    model?: string | { name: string; version: string };
    revisionId?: string | null;
    sources?: Array<{ revisionId: string; sliceIndex: number }>;
    draftId?: string;
    draftIds?: string[];
    prompts?: Array<{ box: number[] }>;
  };
  edit: { draftAreaPx: number; pixelsAdded: number; pixelsRemoved: number; dice: number } | null;
  activeSeconds: number | null;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  scan = await seedScan(API, 'e2e-provenance', SIDE, 9);
  suggestion = await seedModelDraft(scan.sliceIds[0], { x: 64, y: 100, width: 30, height: 36 }, 0.5);
});

/** The user's newest revision of a slice, as GET /api/slices/:id/mask/revisions lists it. */
async function newestRevision(sliceId: string, user: string): Promise<Revision | null> {
  const response = await fetch(`${API}/api/slices/${sliceId}/mask/revisions`, { headers: await authAs(user) });
  if (!response.ok) throw new Error(`GET revisions: ${response.status}`);
  const mine = ((await response.json()) as { items: Revision[] }).items.filter((r) => r.author === emailOf(user));
  return mine.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
}

/** A disc saved through the API as `user`'s mask of the slice. */
/** The AI assist rows of GET /api/annotation-stats, summed: drafts offered, accepted, accepted unchanged. */
async function assistStats(): Promise<{ offered: number; accepted: number; acceptedUnchanged: number }> {
  const response = await fetch(`${API}/api/annotation-stats`, { headers: await authAs() });
  if (!response.ok) throw new Error(`GET annotation-stats: ${response.status}`);
  const rows = ((await response.json()) as { models: Array<{ kind: string; offered: number; accepted: number; acceptedUnchanged: number }> }).models.filter((row) => row.kind === 'assist');
  const sum = (key: 'offered' | 'accepted' | 'acceptedUnchanged') => rows.reduce((total, row) => total + row[key], 0);
  return { offered: sum('offered'), accepted: sum('accepted'), acceptedUnchanged: sum('acceptedUnchanged') };
}

/** The box around the synthetic opacity of slice 1 (centre about (79, 141) as shown, radii 13 and 18 px). */
const ASSIST_BOX: Array<[number, number]> = [
  [60, 118],
  [100, 163],
];

/** AI assist on the open slice: a box dragged around the opacity, and its draft shown. */
async function assistDraft(page: Page): Promise<number> {
  await page.keyboard.press('i');
  await expect(page.getByTestId('assist-panel')).toBeVisible();
  await drawStroke(page, ASSIST_BOX, 4);
  await expect(page.getByTestId('assist-status')).toContainText('draft of 1 box', { timeout: 20_000 });
  const drafted = await draftPixels(page, 'assist-draft-canvas');
  expect(drafted).toBeGreaterThan(50);
  return drafted;
}

async function saveDisc(sliceId: string, user: string, cx: number, cy: number, r: number): Promise<void> {
  const mask = createEmptyMask(SIDE, SIDE);
  for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) mask.data[y * SIDE + x] = 1;
  const response = await fetch(`${API}/api/slices/${sliceId}/mask`, {
    method: 'PUT',
    headers: { ...(await authAs(user)), 'content-type': 'application/json', 'If-None-Match': '*' },
    body: JSON.stringify({ rle: encodeCocoRle(mask), class: 'opacification', state: 'draft' }),
  });
  if (response.status !== 201) throw new Error(`PUT mask: ${response.status} ${await response.text()}`);
}

/** Pixels a draft overlay shows: `interpolation-draft-canvas` or `assist-draft-canvas`. */
async function draftPixels(page: Page, canvasId: string): Promise<number> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.getByTestId(canvasId).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let on = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) on++;
    return on;
  });
}

test('an accepted suggestion, corrected with the brush and saved, records its model, the pixels added and Dice against the draft', async ({ page }, testInfo) => {
  const slice = scan.sliceIds[0];
  await openEditor(page, slice, 'ann-prov');
  await expect(page.getByTestId('suggestion-panel')).toBeVisible();
  await page.keyboard.press('Shift+A');
  await expect(page.getByTestId('suggestion-panel')).toBeHidden();
  expect(countOn(await overlayPixels(page))).toBe(suggestion.area);
  // A stroke well away from the drafted rectangle: only adds pixels.
  await drawStroke(page, [[160, 60], [190, 60]]);
  const drawn = countOn(await overlayPixels(page));
  expect(drawn).toBeGreaterThan(suggestion.area);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');

  await expect.poll(async () => (await newestRevision(slice, 'ann-prov'))?.area ?? 0, { timeout: 10_000 }).toBe(drawn);
  const saved = (await newestRevision(slice, 'ann-prov'))!;
  expect(saved.origin).toMatchObject({ kind: 'suggestion', model: expect.stringMatching(/^model:e2e-model-/), revisionId: suggestion.revisionId });
  expect(saved.edit).toEqual({ draftAreaPx: suggestion.area, pixelsAdded: drawn - suggestion.area, pixelsRemoved: 0, dice: (2 * suggestion.area) / (drawn + suggestion.area) });
  expect(saved.activeSeconds).toBeGreaterThan(0);
  expect(saved.activeSeconds).toBeLessThan(60);

  await expect(page.getByTestId('provenance-origin')).toHaveText(/model suggestion · model:e2e-model-/);
  await expect(page.getByTestId('provenance-edit')).toHaveText(`from a ${suggestion.area} px draft: +${drawn - suggestion.area} / −0 px · Dice ${saved.edit!.dice.toFixed(3)}`);
  await page.screenshot({ path: testInfo.outputPath('provenance-suggestion.png') });
  await page.getByTestId('provenance-panel').screenshot({ path: testInfo.outputPath('provenance-panel.png') });
});

test('interpolation: the empty slices between two masked ones show a violet draft; Shift+Enter fills all of them, Enter one', async ({ page }, testInfo) => {
  const user = 'ann-interp';
  await saveDisc(scan.sliceIds[2], user, 80, 110, 8);
  await saveDisc(scan.sliceIds[6], user, 100, 118, 20);
  await saveDisc(scan.sliceIds[8], user, 100, 118, 10);

  await openEditor(page, scan.sliceIds[4], user);
  await expect(page.getByTestId('interpolation-panel')).toBeVisible();
  await expect(page.getByTestId('interpolation-status')).toHaveText('between slices 2 and 6 · 3 empty slices between');
  const draft = await draftPixels(page, 'interpolation-draft-canvas');
  // Halfway between discs of radius 8 and 20: about a disc of radius 14.
  expect(draft).toBeGreaterThan(Math.PI * 13 * 13);
  expect(draft).toBeLessThan(Math.PI * 15 * 15);
  expect(countOn(await overlayPixels(page))).toBe(0);
  await page.screenshot({ path: testInfo.outputPath('interpolation-draft.png') });

  await page.keyboard.press('Shift+Enter');
  await expect(page.getByTestId('interpolation-panel')).toBeHidden();
  expect(countOn(await overlayPixels(page))).toBe(draft);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  for (const index of [3, 4, 5]) {
    await expect.poll(async () => (await newestRevision(scan.sliceIds[index], user))?.origin.kind ?? null, { timeout: 10_000 }).toBe('interpolation');
    const revision = (await newestRevision(scan.sliceIds[index], user))!;
    expect(revision.origin.sources!.map((s) => s.sliceIndex)).toEqual([2, 6]);
    expect(revision.origin.draftId).toEqual(expect.any(String));
    expect(revision.edit).toMatchObject({ pixelsAdded: 0, pixelsRemoved: 0, dice: 1 });
  }
  await expect(page.getByTestId('provenance-origin')).toHaveText('interpolated from slices 2 and 6');

  // Slice 7 lies between slices 6 and 8: Enter takes its draft alone.
  for (const index of [5, 6, 7]) {
    await page.keyboard.press('ArrowRight');
    await expect(page.locator(`[data-testid=editor-viewport][data-loaded="${scan.sliceIds[index]}"]`)).toBeVisible();
  }
  await expect(page.getByTestId('interpolation-status')).toHaveText('between slices 6 and 8 · 1 empty slice between');
  const single = await draftPixels(page, 'interpolation-draft-canvas');
  await page.keyboard.press('Enter');
  expect(countOn(await overlayPixels(page))).toBe(single);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await expect.poll(async () => (await newestRevision(scan.sliceIds[7], user))?.origin.kind ?? null, { timeout: 10_000 }).toBe('interpolation');
  await page.screenshot({ path: testInfo.outputPath('interpolation-accepted.png') });
});

test('an assist draft shown and dropped counts as offered, not accepted', async ({ page }, testInfo) => {
  const before = await assistStats();
  await openEditor(page, scan.sliceIds[1], 'ann-drop');
  await assistDraft(page);
  await page.screenshot({ path: testInfo.outputPath('assist-draft-offered.png') });
  await page.keyboard.press('Escape');
  expect(await draftPixels(page, 'assist-draft-canvas')).toBe(0);
  expect(countOn(await overlayPixels(page))).toBe(0);
  expect(await assistStats()).toEqual({ offered: before.offered + 1, accepted: before.accepted, acceptedUnchanged: before.acceptedUnchanged });
  expect(await newestRevision(scan.sliceIds[1], 'ann-drop')).toBeNull();
});

test('an assist draft accepted and corrected records its stored draft and is measured against it; the draft claimed on another slice is refused', async ({ page }) => {
  const user = 'ann-assist-prov';
  const slice = scan.sliceIds[1];
  const before = await assistStats();
  await openEditor(page, slice, user);
  await assistDraft(page);
  await page.keyboard.press('Enter');
  const accepted = countOn(await overlayPixels(page));
  expect(accepted).toBeGreaterThan(50);
  await page.keyboard.press('b');
  await drawStroke(page, [[180, 40], [210, 40]]);
  const drawn = countOn(await overlayPixels(page));
  expect(drawn).toBeGreaterThan(accepted);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');

  await expect.poll(async () => (await newestRevision(slice, user))?.area ?? 0, { timeout: 10_000 }).toBe(drawn);
  const saved = (await newestRevision(slice, user))!;
  expect(saved.origin).toMatchObject({ kind: 'assist', model: { name: expect.any(String), version: expect.any(String) }, draftIds: [expect.any(String)] });
  // The box as dragged on screen, in image pixels.
  expect(saved.origin.prompts!.map((prompt) => prompt.box.map(Math.round))).toEqual([[60, 118, 100, 163]]);
  // The editor sent its mask and the draft's id; the server measured the mask against the draft it stored.
  expect(saved.edit).toEqual({ draftAreaPx: accepted, pixelsAdded: drawn - accepted, pixelsRemoved: 0, dice: (2 * accepted) / (drawn + accepted) });
  await expect(page.getByTestId('provenance-origin')).toHaveText(/^AI assist · .* · 1 box$/);
  expect(await assistStats()).toEqual({ offered: before.offered + 1, accepted: before.accepted + 1, acceptedUnchanged: before.acceptedUnchanged });

  const [draftId] = saved.origin.draftIds!;
  const forged = await fetch(`${API}/api/slices/${scan.sliceIds[3]}/mask`, {
    method: 'PUT',
    headers: { ...(await authAs(user)), 'content-type': 'application/json', 'If-None-Match': '*' },
    body: JSON.stringify({ rle: encodeCocoRle(createEmptyMask(SIDE, SIDE)), class: 'opacification', origin: { kind: 'assist', draftIds: [draftId] } }),
  });
  expect(forged.status).toBe(400);
  expect(((await forged.json()) as { detail: string }).detail).toBe(`origin.draftIds: ${draftId} is not an assist draft handed to ${emailOf(user)} on slice ${scan.sliceIds[3]}`);
  expect(await newestRevision(scan.sliceIds[3], user)).toBeNull();
});

test('undoing past an accepted assist draft, after it was saved, saves the hand-drawn line it was on', async ({ page }) => {
  const user = 'ann-undo';
  const slice = scan.sliceIds[1];
  await openEditor(page, slice, user);
  await page.keyboard.press('b');
  await drawStroke(page, [[180, 40], [210, 40]]);
  const stroke = countOn(await overlayPixels(page));
  await assistDraft(page);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await expect.poll(async () => (await newestRevision(slice, user))?.origin.kind ?? null, { timeout: 10_000 }).toBe('assist');

  await page.keyboard.press('Control+z');
  expect(countOn(await overlayPixels(page))).toBe(stroke);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await expect.poll(async () => (await newestRevision(slice, user))?.area ?? 0, { timeout: 10_000 }).toBe(stroke);
  expect(await newestRevision(slice, user)).toMatchObject({ origin: { kind: 'manual' }, edit: null });
  await expect(page.getByTestId('provenance-origin')).toHaveText('drawn by hand');
});

test('the annotation statistics page charts the suggestion model and the annotators', async ({ page }, testInfo) => {
  const signedIn = await page.request.post('/api/auth/sign-in', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  expect(signedIn.ok()).toBe(true);
  await page.goto('/annotation-stats');
  const row = page.locator('[data-testid=stats-models] tr', { hasText: 'suggestion · model:e2e-model-' }).first();
  await expect(row).toBeVisible();
  await expect(row.locator('[data-key=accepted]')).not.toHaveText('0');
  await expect(page.locator('[data-testid=stats-models] tr[data-source=interpolation] [data-key=accepted]')).toHaveText(/^[1-9]\d*$/);
  // Assist drafts dropped count as offered: more offered than accepted.
  const assist = page.locator('[data-testid=stats-models] tr', { hasText: 'AI assist ·' }).first();
  const cell = async (key: string) => Number(await assist.locator(`[data-key=${key}]`).textContent());
  expect(await cell('offered')).toBeGreaterThan(await cell('accepted'));
  expect(await cell('accepted')).toBeGreaterThan(0);
  await expect(page.locator(`[data-testid=stats-annotators] tr[data-author="${emailOf('ann-prov')}"] [data-key=from-drafts]`)).toHaveText('1');
  for (const chart of ['edit-dice', 'acceptance', 'seconds-per-slice', 'annotators']) await expect(page.getByTestId(`chart-${chart}`).locator('canvas')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('annotation-stats.png'), fullPage: true });
});
