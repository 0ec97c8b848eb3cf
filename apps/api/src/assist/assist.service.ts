import { Injectable } from '@nestjs/common';
import type { AssistPrompt, AssistResponse } from '@lesionlab/contracts';
import { LUNG_WINDOW, SlicePixelsService, SlicesRepository, windowTo8Bit, type SliceDetailRow } from '@lesionlab/catalog';
import { AssistModels } from './assist-models';
import { checkPrompt, toNetworkFrame } from './draft-mask';
import { DomainError } from '@lesionlab/contracts';

export class SliceNotFoundError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
  }
}

/** Box (and point) prompts → a draft mask; each slice's image embedding is computed once per model. */
@Injectable()
export class AssistService {
  /** Encodings under way, so that prompts racing on a new slice wait for one encoder run. */
  private readonly encoding = new Map<string, Promise<void>>();

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
    const key = `${modelDir}:${slice.pixelBlob}`;
    const { info } = await this.models.thread.run<'info'>({ kind: 'info', modelDir });
    const frame = toNetworkFrame(slice, info.imageSize);
    const { coords, labels } = frame.points(points);
    const decode = { kind: 'decode', modelDir, key, box: frame.box(prompt.box), pointCoords: coords, pointLabels: labels, size: slice } as const;
    let result = await this.models.thread.run<'draft' | 'missing'>(decode);
    if (result.kind === 'missing') {
      await this.encode(slice, modelDir, key);
      result = await this.models.thread.run<'draft' | 'missing'>(decode);
    }
    if (result.kind !== 'draft') throw new Error(`the embedding of slice ${sliceId} was evicted before its first prompt`);
    return { rle: result.rle, score: result.score, model: result.model, ms: Math.round(performance.now() - started) };
  }

  /** Computes a slice's embedding ahead of the first box (the editor asks when assist is picked). */
  async prepare(sliceId: string, model: string): Promise<void> {
    const slice = await this.slice(sliceId);
    const modelDir = await this.models.dir(model);
    await this.encode(slice, modelDir, `${modelDir}:${slice.pixelBlob}`);
  }

  private async slice(sliceId: string): Promise<SliceDetailRow> {
    const slice = await this.slices.detail(sliceId);
    if (!slice) throw new SliceNotFoundError(`No slice ${sliceId}`);
    return slice;
  }

  private encode(slice: SliceDetailRow, modelDir: string, key: string): Promise<void> {
    let running = this.encoding.get(key);
    if (!running) {
      running = this.grey(slice)
        .then((grey) => this.models.thread.run<'encoded'>({ kind: 'encode', modelDir, key, grey, width: slice.width, height: slice.height }))
        .then(() => undefined)
        .finally(() => this.encoding.delete(key));
      this.encoding.set(key, running);
    }
    return running;
  }

  /** The slice as the model sees it: 8-bit; 16-bit CT through its own window, else the lung window (as a reader sees it). */
  private async grey(slice: SliceDetailRow): Promise<Uint8Array> {
    const stored = await this.pixels.rawPixels(slice.pixelBlob, slice.bitDepth);
    const window = slice.windowCenter !== null && slice.windowWidth !== null ? { center: slice.windowCenter, width: slice.windowWidth } : LUNG_WINDOW;
    const image = { width: slice.width, height: slice.height, bitDepth: slice.bitDepth, pixelRepresentation: slice.pixelRepresentation, data: stored };
    return windowTo8Bit(image, slice.rescaleSlope, slice.rescaleIntercept, window);
  }
}
