import type { components } from './generated/api';

export { createApiClient, type ApiClient, type ApiClientOptions } from './api-client';
export { ApiError, type ProblemDetails } from './api-error';
export type { components, operations, paths } from './generated/api';

/** The API's named schemas, e.g. `Schemas['Run']`, `Schemas['Release']`. */
export type Schemas = components['schemas'];
