import { HttpException, HttpStatus } from '@nestjs/common';
import { DOMAIN_ERROR_STATUS, DomainError } from '@lesionlab/contracts';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
/** PostgreSQL's "operator intervention" and "connection exception" classes: the server is going away or not there. */
const SERVER_GONE = /^(57P0[1-3]|08\d{3})$/;
const DRIVER_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

/** True for errors that mean the database cannot be reached right now (not that a query was wrong). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || SERVER_GONE.test(e.code))) return true;
    if (typeof e.message === 'string' && DRIVER_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/** The HTTP status an error leaves the API with. */
export function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  if (error instanceof DomainError) return DOMAIN_ERROR_STATUS[error.kind];
  if (isDatabaseUnavailable(error)) return HttpStatus.SERVICE_UNAVAILABLE;
  return HttpStatus.INTERNAL_SERVER_ERROR;
}
