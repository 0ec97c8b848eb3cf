import { ApiError } from './api-error';

const request = new Request('http://localhost:3000/api/slices/5b0f6a2e-3c1d-4e8f-9a7b-1c2d3e4f5a6b?x=1', { method: 'GET' });

describe('ApiError', () => {
  it('carries the problem+json detail and body of a failed answer', async () => {
    const problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No slice 5b0f6a2e-3c1d-4e8f-9a7b-1c2d3e4f5a6b', requestId: 'r1' };
    const error = await ApiError.from(request, new Response(JSON.stringify(problem), { status: 404, headers: { 'Content-Type': 'application/problem+json' } }));
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ApiError', method: 'GET', url: '/api/slices/5b0f6a2e-3c1d-4e8f-9a7b-1c2d3e4f5a6b', status: 404, detail: problem.detail, problem });
    expect(error.message).toBe(`GET /api/slices/5b0f6a2e-3c1d-4e8f-9a7b-1c2d3e4f5a6b failed with 404: ${problem.detail}`);
  });

  it('falls back to the body text, then the status text, when the answer is not a problem', async () => {
    expect(await ApiError.from(request, new Response('upstream timed out', { status: 504 }))).toMatchObject({ status: 504, detail: 'upstream timed out', problem: null });
    expect(await ApiError.from(request, new Response('', { status: 502, statusText: 'Bad Gateway' }))).toMatchObject({ detail: 'Bad Gateway', problem: null });
  });
});
