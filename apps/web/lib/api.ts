import { ApiError, createApiClient, type ApiClient } from '@lesionlab/api-client';
import { sendToSignIn, sessionEndReasonOf } from './session-end';

/**
 * The one way the web app reaches the LesionLab API: the generated typed client, same-origin
 * (`/api/…` through the web server's proxy) with the browser's session cookies. A failed call
 * throws ApiError; its `detail` is what pages show.
 */
const SAME_ORIGIN = '';

/** The client without session renewal, for the renewal itself. */
const sessionless = createApiClient({ baseUrl: SAME_ORIGIN, credentials: 'include' });

let refreshing: Promise<boolean> | null = null;

/**
 * Renews the access cookie from the refresh cookie; concurrent callers share one renewal. When the API
 * ends the session (the account was disabled, the sign-in expired), the person is sent to sign in.
 */
function refreshSession(): Promise<boolean> {
  refreshing ??= sessionless
    .POST('/api/auth/refresh')
    .then(
      () => true,
      (error: unknown) => {
        const ended = sessionEndReasonOf(error);
        if (ended) sendToSignIn(ended);
        return false;
      },
    )
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** The calls that start, renew or end a session: their 401 is an answer, not an expired cookie. */
const SESSION_CALLS = new Set(['/api/auth/sign-in', '/api/auth/refresh', '/api/auth/sign-out']);

/** A call that gets 401 (the access cookie expired) renews the session once and is sent again. */
export function withSessionRenewal(send: (request: Request) => Promise<Response>, renew: () => Promise<boolean>) {
  return async (request: Request): Promise<Response> => {
    const again = request.clone();
    const response = await send(request);
    if (response.status !== 401 || SESSION_CALLS.has(new URL(request.url).pathname)) return response;
    return (await renew()) ? send(again) : response;
  };
}

export const api: ApiClient = createApiClient({
  baseUrl: SAME_ORIGIN,
  credentials: 'include',
  fetch: withSessionRenewal((request) => fetch(request), refreshSession),
});

/** The success answer of a call (a failed one has thrown ApiError already). */
export async function dataOf<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/** What a page shows for a failed call: the API's problem detail, else the error's message. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

export { ApiError };
