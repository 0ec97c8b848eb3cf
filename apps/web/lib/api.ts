import { ApiError, createApiClient, type ApiClient, type operations } from '@lesionlab/api-client';
import { z } from 'zod';
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
  if (error instanceof z.ZodError) return `the API's answer does not match its contract: ${z.prettifyError(error)}`;
  return error instanceof Error ? error.message : String(error);
}

export { ApiError };

type ImportUploadFields = Omit<operations['startImport']['requestBody']['content']['multipart/form-data'], 'files'>;
type ImportStarted = operations['startImport']['responses'][202]['content']['application/json'];

/** One file of an upload: its bytes (a File the browser reads from disk as it sends) and its path inside the upload. */
export interface UploadFile {
  blob: Blob;
  path: string;
}

/** Bytes of an upload's request body sent so far, as the browser counts them. */
export interface UploadProgress {
  sent: number;
  total: number;
}

function sendImportUpload(body: FormData, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/imports');
    request.withCredentials = true;
    request.upload.onprogress = (event) => onProgress({ sent: event.loaded, total: event.lengthComputable ? event.total : 0 });
    request.onload = () => resolve({ status: request.status, text: request.responseText });
    request.onerror = () => reject(new Error('the upload was cut off (the connection to the web server failed)'));
    request.onabort = () => reject(new DOMException('the upload was cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(body);
  });
}

/**
 * POST /api/imports with multipart/form-data: the operation's fields and the files, each named by its
 * path inside the upload. The typed client sends with fetch, which cannot report upload progress, so
 * this one call goes through XMLHttpRequest: the browser streams each File from disk (nothing is read
 * into memory here) and reports the bytes sent. Like the client, a refused call throws ApiError
 * with the API's problem detail, and a 401 renews the session once and sends again.
 */
export async function uploadImport(fields: ImportUploadFields, files: UploadFile[], onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<ImportStarted> {
  const body = new FormData();
  body.append('format', fields.format);
  if (fields.options !== undefined) body.append('options', fields.options);
  for (const { blob, path } of files) body.append('files', blob, path);
  let answer = await sendImportUpload(body, onProgress, signal);
  if (answer.status === 401 && (await refreshSession())) answer = await sendImportUpload(body, onProgress, signal);
  if (answer.status < 200 || answer.status >= 300) {
    throw await ApiError.from(new Request(new URL('/api/imports', window.location.href), { method: 'POST' }), new Response(answer.text, { status: answer.status }));
  }
  return JSON.parse(answer.text) as ImportStarted;
}
