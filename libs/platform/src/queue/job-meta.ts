/** What travels with a job besides its payload: the id of the request that queued it, for the logs. */
export interface JobMeta {
  requestId?: string;
}

const META_KEY = '_meta';

export function withJobMeta(payload: unknown, meta: JobMeta): unknown {
  if (!meta.requestId || payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  return { ...payload, [META_KEY]: meta };
}

export function splitJobMeta(data: unknown): { payload: unknown; meta: JobMeta } {
  if (data === null || typeof data !== 'object' || !(META_KEY in data)) return { payload: data, meta: {} };
  const { [META_KEY]: meta, ...payload } = data as Record<string, unknown>;
  return { payload, meta: (meta ?? {}) as JobMeta };
}
