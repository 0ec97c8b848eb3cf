import { HttpMaskApi, revisionIdFromEtag, TransientSaveError } from './mask-api';

const SLICE = '00000000-0000-4000-8000-000000000001';
const REVISION = '00000000-0000-4000-8000-0000000000aa';
const rle = { size: [2, 2] as [number, number], counts: '4' };
const revision = { revisionId: REVISION, sliceId: SLICE, class: 'opacification', rle, author: 'b', source: 'human', parentId: null, state: 'draft', reviewComment: null, area: 0, createdAt: '2026-01-01T00:00:00Z' };

function fakeFetch(responses: Response[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new TypeError('Failed to fetch');
    return next;
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('HttpMaskApi', () => {
  it('sends If-None-Match: * for a first mask, If-Match with the base revision after', async () => {
    const { impl, calls } = fakeFetch([new Response(null, { status: 201, headers: { etag: `"${REVISION}"` } }), new Response(null, { status: 201, headers: { etag: `W/"${REVISION}"` } })]);
    const api = new HttpMaskApi(impl);
    expect(await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft' }, null)).toEqual({ kind: 'saved', revisionId: REVISION });
    await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft' }, REVISION);
    const [first, second] = calls.map((c) => c.init.headers as Record<string, string>);
    expect(first['If-None-Match']).toBe('*');
    expect(first['If-Match']).toBeUndefined();
    expect(second['If-Match']).toBe(`"${REVISION}"`);
    expect(calls[0].init.method).toBe('PUT');
  });

  it('reads the current revision from a 409 body, directly or under `current`', async () => {
    const { impl } = fakeFetch([Response.json({ current: revision }, { status: 409 }), Response.json(revision, { status: 409 })]);
    const api = new HttpMaskApi(impl);
    expect(await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft' }, null)).toMatchObject({ kind: 'conflict', current: { revisionId: REVISION } });
    expect(await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft' }, null)).toMatchObject({ kind: 'conflict' });
  });

  it('network failures and 5xx are transient; other 4xx are refused; GET 404 is no mask', async () => {
    const { impl } = fakeFetch([new Response('down', { status: 502 }), new Response('bad', { status: 400 }), new Response(null, { status: 404 })]);
    const api = new HttpMaskApi(impl);
    const body = { rle, class: 'opacification', state: 'draft' as const };
    await expect(api.saveMask(SLICE, body, null)).rejects.toBeInstanceOf(TransientSaveError);
    expect(await api.saveMask(SLICE, body, null)).toEqual({ kind: 'refused', status: 400, detail: 'bad' });
    expect(await api.getMask(SLICE)).toBeNull();
    await expect(api.getMask(SLICE)).rejects.toBeInstanceOf(TransientSaveError);
  });

  it('parses ETags', () => {
    expect(revisionIdFromEtag('"abc"')).toBe('abc');
    expect(revisionIdFromEtag('W/"abc"')).toBe('abc');
    expect(revisionIdFromEtag(null)).toBeNull();
  });
});
