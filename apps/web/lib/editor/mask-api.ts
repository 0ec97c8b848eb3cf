import { ApiError, type ApiClient } from '@lesionlab/api-client';
import { maskRevisionSchema, type MaskRevision, type SaveMask } from '@lesionlab/contracts';

export type SaveOutcome =
  | { kind: 'saved'; revisionId: string; revision: MaskRevision | null }
  /** 409: someone saved since our base revision; `current` is theirs. */
  | { kind: 'conflict'; current: MaskRevision }
  /** A 4xx that retrying will not fix. */
  | { kind: 'refused'; status: number; detail: string };

/** The labels API as the editor uses it. Network failures and 5xx throw: the caller retries them. */
export interface MaskApi {
  getMask(sliceId: string): Promise<MaskRevision | null>;
  saveMask(sliceId: string, body: SaveMask, baseRevisionId: string | null): Promise<SaveOutcome>;
}

/** Thrown for failures worth retrying: no network, a restarting server (5xx, 502 from the proxy). */
export class TransientSaveError extends Error {}

/** The revision id inside an ETag: "<revisionId>" (weak or strong). */
export function revisionIdFromEtag(etag: string | null): string | null {
  const match = etag?.match(/^(?:W\/)?"([^"]+)"$/);
  return match ? match[1] : null;
}

/** The labels API as the signed-in user (the session cookie says who), through the typed client. */
export class HttpMaskApi implements MaskApi {
  constructor(private readonly api: ApiClient) {}

  async getMask(sliceId: string): Promise<MaskRevision | null> {
    try {
      const { data } = await this.api.GET('/api/slices/{id}/mask', { params: { path: { id: sliceId } }, cache: 'no-store' });
      return maskRevisionSchema.parse(data);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw transientUnlessAnswered(error);
    }
  }

  async saveMask(sliceId: string, body: SaveMask, baseRevisionId: string | null): Promise<SaveOutcome> {
    const precondition = baseRevisionId ? { 'If-Match': `"${baseRevisionId}"` } : { 'If-None-Match': '*' as const };
    let saved: Awaited<ReturnType<typeof this.put>>;
    try {
      saved = await this.put(sliceId, body, precondition);
    } catch (error) {
      if (!(error instanceof ApiError)) throw transientUnlessAnswered(error);
      if (error.status === 409 || error.status === 412) return { kind: 'conflict', current: await this.currentAfterConflict(sliceId, error) };
      if (error.status >= 500 || error.status === 408 || error.status === 429) throw new TransientSaveError(`server answered ${error.status}`);
      return { kind: 'refused', status: error.status, detail: error.detail };
    }
    const revision = maskRevisionSchema.safeParse(saved.data);
    const revisionId = revisionIdFromEtag(saved.response.headers.get('etag')) ?? maskRevisionSchema.parse(saved.data).revisionId;
    return { kind: 'saved', revisionId, revision: revision.success ? revision.data : null };
  }

  private put(sliceId: string, body: SaveMask, precondition: { 'If-Match': string } | { 'If-None-Match': '*' }) {
    return this.api.PUT('/api/slices/{id}/mask', { params: { path: { id: sliceId }, header: precondition }, body, cache: 'no-store' });
  }

  /** The 409 problem carries the current revision under `current`; else it is fetched. */
  private async currentAfterConflict(sliceId: string, conflict: ApiError): Promise<MaskRevision> {
    const parsed = maskRevisionSchema.safeParse((conflict.problem as { current?: unknown } | null)?.current);
    if (parsed.success) return parsed.data;
    const current = await this.getMask(sliceId);
    if (!current) throw new TransientSaveError(`${conflict.status} on ${sliceId} but no current mask`);
    return current;
  }
}

/** No answer at all (no network, the request failed to leave) is worth retrying; an API answer is not. */
function transientUnlessAnswered(error: unknown): Error {
  return error instanceof ApiError ? error : new TransientSaveError((error as Error).message);
}
