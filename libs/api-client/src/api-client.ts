import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiError } from './api-error';
import type { paths } from './generated/api';

export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Where the API is, e.g. http://localhost:3000 (paths start with /api). */
  baseUrl: string;
  /** An API token or access token, sent as `Authorization: Bearer …` (the CLI, automation). */
  token?: string;
  /** `include` sends the browser's cookies, e.g. the httpOnly access cookie (the web app). */
  credentials?: RequestCredentials;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: (request: Request) => Promise<Response>;
}

/** Turns every non-2xx answer into a thrown ApiError carrying the problem+json detail. */
const problemsThrow: Middleware = {
  async onResponse({ request, response }) {
    if (!response.ok) throw await ApiError.from(request, response);
  },
};

/**
 * The typed client of the LesionLab API, generated from its OpenAPI document: paths, parameters,
 * bodies and answers are checked by the compiler. A failed call throws ApiError, so a returned
 * `data` is always the success answer.
 *
 *   const api = createApiClient({ baseUrl: 'http://localhost:3000', token });
 *   const { data: run } = await api.GET('/api/runs/{id}', { params: { path: { id } } });
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    credentials: options.credentials,
    fetch: options.fetch,
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : undefined,
  });
  client.use(problemsThrow);
  return client;
}
