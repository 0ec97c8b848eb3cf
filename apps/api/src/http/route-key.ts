import type { Request } from 'express';

/** `METHOD /path` of the route Express matched, as the permission matrix and the audit log name it. */
export function routeKeyOf(request: Request): { method: string; path: string } {
  return { method: request.method, path: String((request.route as { path?: unknown } | undefined)?.path ?? request.path) };
}
