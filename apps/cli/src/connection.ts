import { createApiClient, type ApiClient } from '@lesionlab/api-client';
import { tokenFor } from './credentials';

/** The API address: LESIONLAB_API_URL, or a local API. */
export function apiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.LESIONLAB_API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

/** A connection failure (nothing listens, DNS, TLS): the API was never reached. */
export class ApiUnreachableError extends Error {
  constructor(baseUrl: string, cause: unknown) {
    const reason = (cause as { cause?: { code?: string; message?: string } }).cause;
    super(`Cannot reach the LesionLab API at ${baseUrl} (${reason?.code ?? reason?.message ?? (cause as Error).message}). Is it running? Set LESIONLAB_API_URL to point elsewhere.`);
    this.name = 'ApiUnreachableError';
  }
}

/**
 * The generated client of the API at LESIONLAB_API_URL: the only way the CLI reaches the API.
 * `token`: the bearer credential (default: LESIONLAB_TOKEN or the one `lesionlab login` saved; '' for none).
 */
export function connect(token?: string): ApiClient {
  const baseUrl = apiBaseUrl();
  return createApiClient({
    baseUrl,
    token: token ?? tokenFor(baseUrl),
    fetch: (request) =>
      fetch(request).catch((error: unknown) => {
        throw new ApiUnreachableError(baseUrl, error);
      }),
  });
}
