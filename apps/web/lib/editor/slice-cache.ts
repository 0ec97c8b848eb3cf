import type { ApiClient } from '@lesionlab/api-client';
import { sliceDetailSchema, type MaskRevision, type SliceDetail } from '@lesionlab/contracts';
import type { MaskApi } from './mask-api';
import { decodeSlicePixels, modalityValues, type SlicePixels } from './slice-pixels';

/** Everything the editor shows for one slice. */
export interface LoadedSlice {
  detail: SliceDetail;
  pixels: SlicePixels;
  /** Modality values for the intensity tools, computed on first use. */
  values(): Float32Array;
  /** The current revision for this user when loaded (null: no mask yet). */
  revision: MaskRevision | null;
}

/**
 * Loads slices (detail, pixels and current mask in parallel) and keeps the last few, so that the
 * neighbours prefetched while the annotator works open without a round trip.
 */
export class SliceCache {
  private readonly entries = new Map<string, Promise<LoadedSlice>>();

  constructor(
    private readonly masks: MaskApi,
    private readonly api: ApiClient,
    private readonly capacity = 8,
  ) {}

  load(sliceId: string): Promise<LoadedSlice> {
    const cached = this.entries.get(sliceId);
    if (cached) {
      this.entries.delete(sliceId);
      this.entries.set(sliceId, cached);
      return cached;
    }
    const loading = this.fetchSlice(sliceId);
    this.entries.set(sliceId, loading);
    loading.catch(() => this.entries.delete(sliceId));
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return loading;
  }

  /** Loads in the background; failures are ignored (the real load will report them). */
  prefetch(sliceId: string | null): void {
    if (sliceId) this.load(sliceId).catch(() => undefined);
  }

  /** Drops a slice so the next load asks the server again (its mask changed). */
  forget(sliceId: string): void {
    this.entries.delete(sliceId);
  }

  private async fetchSlice(sliceId: string): Promise<LoadedSlice> {
    const [detail, body, revision] = await Promise.all([
      this.api.GET('/api/slices/{id}', { params: { path: { id: sliceId } }, cache: 'no-store' }).then(({ data }) => sliceDetailSchema.parse(data)),
      // Pixels never change for a slice id: the browser cache may keep them.
      this.api.GET('/api/slices/{id}/pixels', { params: { path: { id: sliceId } }, parseAs: 'arrayBuffer' }).then(({ data }) => data!),
      this.masks.getMask(sliceId),
    ]);
    const pixels = decodeSlicePixels(body, detail);
    let values: Float32Array | null = null;
    return { detail, pixels, revision, values: () => (values ??= modalityValues(pixels)) };
  }
}
