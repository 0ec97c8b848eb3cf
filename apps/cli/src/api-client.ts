import { tokenFor } from './credentials';

/** A thin client of the LesionLab API; every failure becomes an ApiError with a readable message. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `token`: the bearer credential to send (default: LESIONLAB_TOKEN or the one `lesionlab login` saved; '' for none). */
export interface RequestOptions {
  baseUrl?: string;
  acceptStatus?: number[];
  token?: string;
}

export function apiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.LESIONLAB_API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

export async function getJson<T>(path: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
  return requestJson<T>('GET', path, undefined, options);
}

export async function postJson<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
  return requestJson<T>('POST', path, body, options);
}

async function requestJson<T>(method: 'GET' | 'POST', path: string, payload: unknown, options: RequestOptions): Promise<{ status: number; body: T }> {
  const baseUrl = options.baseUrl ?? apiBaseUrl();
  const token = options.token ?? tokenFor(baseUrl);
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      body: payload === undefined ? undefined : JSON.stringify(payload),
      signal: AbortSignal.timeout(30000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ApiError(`Cannot reach the LesionLab API at ${baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}). Is it running? Set LESIONLAB_API_URL to point elsewhere.`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(`The API at ${baseUrl} answered ${response.status} with something that is not JSON`, response.status);
  }
  if (!response.ok && !(options.acceptStatus ?? []).includes(response.status)) {
    const detail = (body as { detail?: string } | undefined)?.detail ?? response.statusText;
    const hint = response.status === 401 ? ' (run `npx lesionlab login`, or set LESIONLAB_TOKEN)' : '';
    throw new ApiError(`${response.status}: ${detail}${hint}`, response.status);
  }
  return { status: response.status, body: body as T };
}
