import { assistResponseSchema, type AssistModelList, type AssistPoint, type AssistRequest, type AssistResponse } from '@lesionlab/contracts';
import { decodeCocoRle, union, type BinaryMask } from '@lesionlab/mask';
import { api, dataOf, messageOf } from '../api';
import type { Point } from './brush';

export type Box = [number, number, number, number];

/** Asks the API's LiteMedSAM for a draft; the error names what the API refused. */
export async function requestDraft(sliceId: string, request: AssistRequest & { model: string }): Promise<AssistResponse> {
  try {
    return assistResponseSchema.parse(await dataOf(api.POST('/api/slices/{id}/assist', { params: { path: { id: sliceId } }, body: request })));
  } catch (error) {
    throw new Error(messageOf(error));
  }
}

/** Has the API compute the slice's image embedding now, so the first box answers at decoder speed; true once it holds it. */
export async function prepareAssist(sliceId: string, model: string): Promise<boolean> {
  const { response } = await api.POST('/api/slices/{id}/assist/prepare', { params: { path: { id: sliceId } }, body: { model } });
  return response.ok;
}

export async function fetchAssistModels(): Promise<AssistModelList> {
  return dataOf(api.GET('/api/assist/models'));
}

/** The box two corners of a drag span, in image pixels clipped to the slice; null when it has no area. */
export function dragBox(from: Point, to: Point, width: number, height: number): Box | null {
  const clip = (value: number, limit: number) => Math.min(limit, Math.max(0, value));
  const x0 = clip(Math.min(from.x, to.x), width);
  const x1 = clip(Math.max(from.x, to.x), width);
  const y0 = clip(Math.min(from.y, to.y), height);
  const y1 = clip(Math.max(from.y, to.y), height);
  return x1 - x0 >= 2 && y1 - y0 >= 2 ? [x0, y0, x1, y1] : null;
}

/**
 * The assist draft of one slice: one mask per box (Shift-drag adds a box, a plain drag starts over),
 * and the points that refine the latest box's mask. The overlay shows their union; each part keeps
 * the id the server stored its answer under.
 */
export class AssistDraft {
  private readonly parts: Array<{ box: Box; points: AssistPoint[]; mask: BinaryMask; draftId: string }> = [];

  get empty(): boolean {
    return this.parts.length === 0;
  }

  get boxes(): number {
    return this.parts.length;
  }

  /** The prompt a click refines: the latest box with its points plus this one. */
  refinement(point: AssistPoint): { box: Box; points: AssistPoint[] } | null {
    const last = this.parts.at(-1);
    return last ? { box: last.box, points: [...last.points, point] } : null;
  }

  /** A box's answer: added beside the others (`additive`) or replacing them all. */
  addBox(box: Box, answer: Pick<AssistResponse, 'rle' | 'draftId'>, additive: boolean): void {
    if (!additive) this.parts.length = 0;
    this.parts.push({ box, points: [], mask: decodeCocoRle(answer.rle), draftId: answer.draftId });
  }

  /** A refined answer for the latest box. */
  refineLast(points: AssistPoint[], answer: Pick<AssistResponse, 'rle' | 'draftId'>): void {
    const last = this.parts.at(-1);
    if (last) this.parts[this.parts.length - 1] = { box: last.box, points, mask: decodeCocoRle(answer.rle), draftId: answer.draftId };
  }

  /** The stored drafts on screen, as the save's origin names them. */
  draftIds(): string[] {
    return this.parts.map((part) => part.draftId);
  }

  united(): BinaryMask | null {
    return this.parts.length === 0 ? null : this.parts.map((p) => p.mask).reduce((a, b) => union(a, b));
  }

  clear(): void {
    this.parts.length = 0;
  }
}
