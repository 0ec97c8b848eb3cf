import { Injectable } from '@nestjs/common';
import type { AssistPrompt, AssistResponse } from '@lesionlab/contracts';
import { LUNG_WINDOW, SlicePixelsService, SlicesRepository, windowTo8Bit, type SliceDetailRow } from '@lesionlab/catalog';
import { AssistModels } from './assist-models';
import { checkPrompt } from './draft-mask';
import { DomainError } from '@lesionlab/contracts';

export class SliceNotFoundError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
  }
}

/**
 * Box (and point) prompts → a draft mask; each slice's image embedding is computed once per model. A slice's
 * first prompt takes two round trips to the model's thread: the box alone, then — once the thread answers that
 * it holds no embedding — the box with the slice's pixels (encoded and decoded in one go). Further prompts take one.
 */
@Injectable()
export class AssistService {
  constructor(
    private readonly slices: SlicesRepository,
    private readonly pixels: SlicePixelsService,
    private readonly models: AssistModels,
  ) {}

  async draft(sliceId: string, prompt: AssistPrompt): Promise<Omit<AssistResponse, 'draftId'>> {
    const started = performance.now();
    const slice = await this.slice(sliceId);
    const points = prompt.points ?? [];
    checkPrompt(prompt.box, points, slice);
    const modelDir = await this.models.dir(prompt.model);
    const size = { width: slice.width, height: slice.height };
    const decode = { kind: 'decode', modelDir, key: `${modelDir}:${slice.pixelBlob}`, box: prompt.box, points, size } as const;
    let result = await this.models.thread.run<'draft' | 'missing'>(decode);
    if (result.kind === 'missing') result = await this.models.thread.run<'draft' | 'missing'>({ ...decode, grey: await this.grey(slice) });
    if (result.kind !== 'draft') throw new Error(`the embedding of slice ${sliceId} was not computed`);
    return { rle: result.rle, score: result.score, model: result.model, ms: Math.round(performance.now() - started) };
  }

  /** Computes a slice's embedding ahead of the first box (the editor asks when assist is picked). */
  async prepare(sliceId: string, model: string): Promise<void> {
    const slice = await this.slice(sliceId);
    const modelDir = await this.models.dir(model);
    const size = { width: slice.width, height: slice.height };
    await this.models.thread.run<'encoded'>({ kind: 'encode', modelDir, key: `${modelDir}:${slice.pixelBlob}`, grey: await this.grey(slice), size });
  }

  private async slice(sliceId: string): Promise<SliceDetailRow> {
    const slice = await this.slices.detail(sliceId);
    if (!slice) throw new SliceNotFoundError(`No slice ${sliceId}`);
    return slice;
  }

  /** The slice as the model sees it: 8-bit; 16-bit CT through its own window, else the lung window (as a reader sees it). */
  private async grey(slice: SliceDetailRow): Promise<Uint8Array> {
    const stored = await this.pixels.rawPixels(slice.pixelBlob, slice.bitDepth);
    const window = slice.windowCenter !== null && slice.windowWidth !== null ? { center: slice.windowCenter, width: slice.windowWidth } : LUNG_WINDOW;
    const image = { width: slice.width, height: slice.height, bitDepth: slice.bitDepth, pixelRepresentation: slice.pixelRepresentation, data: stored };
    return windowTo8Bit(image, slice.rescaleSlope, slice.rescaleIntercept, window);
  }
}
