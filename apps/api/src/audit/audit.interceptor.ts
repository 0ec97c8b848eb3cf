import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { from, mergeMap, catchError, of, type Observable } from 'rxjs';
import { currentLogContext, type Logger } from '@lesionlab/platform';
import { principalOf } from '../auth/principal';
import { statusOf } from '../http/error-status';
import { routeKeyOf } from '../http/route-key';
import { AuditRepository, type AuditEntry } from './audit.repository';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ID_KEYS = ['id', 'revisionId'] as const;

/** Ids a handler wants in its audit entry beyond the route's (e.g. the e-mail of a failed sign-in). */
export function noteAuditIds(request: Request, ids: Record<string, string>): void {
  const holder = request as Request & { auditIds?: Record<string, string> };
  holder.auditIds = { ...holder.auditIds, ...ids };
}

const AUDITED = Symbol('audited by its handler');

/**
 * The entry this interceptor would append for the request answered with `status` and `result`: for a
 * handler that appends it itself, in the transaction of its change (the mask save), and then calls
 * markAudited so that it is not appended twice.
 */
export function auditEntryOf(request: Request, status: number, result?: unknown): AuditEntry {
  const { method, path } = routeKeyOf(request);
  const principal = principalOf(request);
  return {
    actor: principal?.email ?? 'anonymous',
    actorRole: principal?.role ?? null,
    action: `${method} ${path}`,
    ids: idsOf(request, result),
    status,
    ip: request.ip ?? null,
    userAgent: request.header('user-agent')?.slice(0, 300) ?? null,
    requestId: currentLogContext().requestId ?? null,
  };
}

/** Says the request's audit entry is committed already (call it last, once the change is committed). */
export function markAudited(request: Request): void {
  (request as Request & { [AUDITED]?: true })[AUDITED] = true;
}

const auditedAlready = (request: Request) => (request as Request & { [AUDITED]?: true })[AUDITED] === true;

/** The ids of what a request created or changed: its route parameters and the `id` of its answer. */
function idsOf(request: Request, result: unknown): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.params ?? {})) ids[key] = Array.isArray(value) ? value.join('/') : String(value);
  if (result && typeof result === 'object') {
    for (const key of ID_KEYS) {
      const value = (result as Record<string, unknown>)[key];
      if (typeof value === 'string' && !(key in ids)) ids[key === 'id' ? 'created' : key] = value;
    }
  }
  return { ...ids, ...(request as Request & { auditIds?: Record<string, string> }).auditIds };
}

/**
 * Appends one audit entry for every request that changes something (POST, PUT, PATCH, DELETE) once
 * its handler has finished, before the answer leaves: who, what (`METHOD /route`), which ids, the
 * outcome, from where (client address, user agent) and the request id.
 */
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditRepository,
    private readonly reflector: Reflector,
    private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!CHANGES.has(request.method)) return next.handle();
    const success = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      mergeMap((result) => (auditedAlready(request) ? of(result) : from(this.record(request, success, result).then(() => result)))),
      catchError((error: unknown) =>
        from(
          this.record(request, statusOf(error), undefined).then(() => {
            throw error;
          }),
        ),
      ),
    );
  }

  private async record(request: Request, status: number, result: unknown): Promise<void> {
    try {
      await this.audit.append(auditEntryOf(request, status, result));
    } catch (error) {
      // The change itself is done; losing its audit line is logged loudly rather than failing the request.
      const { method, path } = routeKeyOf(request);
      this.logger.error({ err: error, action: `${method} ${path}` }, 'could not append to the audit log');
    }
  }
}
