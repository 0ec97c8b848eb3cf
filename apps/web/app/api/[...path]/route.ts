import type { NextRequest } from 'next/server';
import { requestHeadersForApi, responseHeadersFromApi } from '../../../lib/proxy-headers';

export const dynamic = 'force-dynamic';

function apiUrl(): string {
  return (process.env.LESIONLAB_API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

/**
 * The browser talks only to the web origin; /api/* is passed through to the API server named by
 * LESIONLAB_API_URL at run time (so one build serves any deployment), bodies streamed both ways.
 */
async function proxy(request: NextRequest): Promise<Response> {
  const target = `${apiUrl()}${request.nextUrl.pathname}${request.nextUrl.search}`;
  const headers = requestHeadersForApi(request.headers);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  try {
    const upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      redirect: 'manual',
      cache: 'no-store',
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
    return new Response(upstream.body, { status: upstream.status, headers: responseHeadersFromApi(upstream.headers) });
  } catch (error) {
    const detail = `The web server cannot reach the LesionLab API at ${apiUrl()}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`;
    return Response.json({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail }, { status: 502, headers: { 'content-type': 'application/problem+json' } });
  }
}

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE, proxy as HEAD };
