import { maskRevisionSchema, type MaskRevision, type SaveMask } from '@lesionlab/contracts';

export type SaveOutcome =
  | { kind: 'saved'; revisionId: string }
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

/** The labels API as the signed-in user (the session cookie says who). */
export class HttpMaskApi implements MaskApi {
  constructor(private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {}

  async getMask(sliceId: string): Promise<MaskRevision | null> {
    const response = await this.send(`/api/slices/${sliceId}/mask`, {});
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`GET mask of ${sliceId}: ${response.status}`);
    return maskRevisionSchema.parse(await response.json());
  }

  async saveMask(sliceId: string, body: SaveMask, baseRevisionId: string | null): Promise<SaveOutcome> {
    const precondition: Record<string, string> = baseRevisionId ? { 'If-Match': `"${baseRevisionId}"` } : { 'If-None-Match': '*' };
    const response = await this.send(`/api/slices/${sliceId}/mask`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...precondition },
      body: JSON.stringify(body),
    });
    if (response.status === 409 || response.status === 412) return { kind: 'conflict', current: await this.currentAfterConflict(sliceId, response) };
    if (response.ok) {
      const revisionId = revisionIdFromEtag(response.headers.get('etag')) ?? maskRevisionSchema.parse(await response.json()).revisionId;
      return { kind: 'saved', revisionId };
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) throw new TransientSaveError(`server answered ${response.status}`);
    return { kind: 'refused', status: response.status, detail: await response.text() };
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, cache: 'no-store' });
    } catch (error) {
      throw new TransientSaveError((error as Error).message);
    }
  }

  /** The 409 body carries the current revision (as itself or under `current`); else it is fetched. */
  private async currentAfterConflict(sliceId: string, response: Response): Promise<MaskRevision> {
    const body: unknown = await response.json().catch(() => null);
    const candidates = [body, (body as { current?: unknown } | null)?.current];
    for (const candidate of candidates) {
      const parsed = maskRevisionSchema.safeParse(candidate);
      if (parsed.success) return parsed.data;
    }
    const current = await this.getMask(sliceId);
    if (!current) throw new TransientSaveError(`409 on ${sliceId} but no current mask`);
    return current;
  }
}
