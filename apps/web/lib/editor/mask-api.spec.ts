import { createApiClient } from '@lesionlab/api-client';
import { HttpMaskApi, revisionIdFromEtag, TransientSaveError } from './mask-api';

const SLICE = '00000000-0000-4000-8000-000000000001';
const REVISION = '00000000-0000-4000-8000-0000000000aa';
const rle = { size: [2, 2] as [number, number], counts: '4' };
const revision = { revisionId: REVISION, sliceId: SLICE, class: 'opacification', rle, author: 'b', source: 'human', parentId: null, state: 'draft', reviewComment: null, area: 0, createdAt: '2026-01-01T00:00:00Z' };

/** The typed client over a fetch that answers `responses` in turn, then fails as a lost network does. */
function fakeApi(responses: Response[]) {
  const calls: Request[] = [];
  const api = createApiClient({
    baseUrl: 'http://web.test',
    fetch: async (request) => {
      calls.push(request);
      const next = responses.shift();
      if (!next) throw new TypeError('Failed to fetch');
      return next;
    },
  });
  return { api: new HttpMaskApi(api), calls };
}

const problem = (status: number, extensions: object = {}) =>
  Response.json({ type: 'about:blank', title: 'Conflict', status, detail: `answered ${status}`, ...extensions }, { status, headers: { 'content-type': 'application/problem+json' } });

describe('HttpMaskApi', () => {
  it('sends If-None-Match: * for a first mask, If-Match with the base revision after', async () => {
    const { api, calls } = fakeApi([new Response(null, { status: 201, headers: { etag: `"${REVISION}"` } }), new Response(null, { status: 201, headers: { etag: `W/"${REVISION}"` } })]);
    expect(await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft' }, null)).toEqual({ kind: 'saved', revisionId: REVISION, revision: null });
    await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft' }, REVISION);
    const [first, second] = calls.map((c) => c.headers);
    expect(first.get('If-None-Match')).toBe('*');
    expect(first.get('If-Match')).toBeNull();
    expect(second.get('If-Match')).toBe(`"${REVISION}"`);
    expect(calls[0].method).toBe('PUT');
    expect(new URL(calls[0].url).pathname).toBe(`/api/slices/${SLICE}/mask`);
  });

  it('hands back the stored revision (its origin and edit statistics) when the answer carries it', async () => {
    const stored = { ...revision, origin: { kind: 'manual' }, edit: null, activeSeconds: 3.5 };
    const { api } = fakeApi([Response.json(stored, { status: 201, headers: { etag: `"${REVISION}"` } })]);
    expect(await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft', activeSeconds: 3.5 }, null)).toEqual({ kind: 'saved', revisionId: REVISION, revision: stored });
  });

  it('reads the current revision from a 409 problem, or asks for it after a 412 without one', async () => {
    const { api, calls } = fakeApi([problem(409, { current: revision }), problem(412), Response.json(revision)]);
    expect(await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft' }, null)).toMatchObject({ kind: 'conflict', current: { revisionId: REVISION } });
    expect(await api.saveMask(SLICE, { rle, class: 'opacification', state: 'draft' }, REVISION)).toMatchObject({ kind: 'conflict', current: { revisionId: REVISION } });
    expect(calls.map((c) => c.method)).toEqual(['PUT', 'PUT', 'GET']);
  });

  it('network failures and 5xx are transient; other 4xx are refused; GET 404 is no mask', async () => {
    const { api } = fakeApi([new Response('down', { status: 502 }), problem(428), new Response(null, { status: 404 })]);
    const body = { rle, class: 'opacification', state: 'draft' as const };
    await expect(api.saveMask(SLICE, body, null)).rejects.toBeInstanceOf(TransientSaveError);
    expect(await api.saveMask(SLICE, body, null)).toEqual({ kind: 'refused', status: 428, detail: 'answered 428' });
    expect(await api.getMask(SLICE)).toBeNull();
    await expect(api.getMask(SLICE)).rejects.toBeInstanceOf(TransientSaveError);
  });

  it('parses ETags', () => {
    expect(revisionIdFromEtag('"abc"')).toBe('abc');
    expect(revisionIdFromEtag('W/"abc"')).toBe('abc');
    expect(revisionIdFromEtag(null)).toBeNull();
  });
});
