import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type ProblemDetails } from '@lesionlab/contracts';
import { currentLogContext, redactUrl, type Logger } from '@lesionlab/platform';
import { statusOf } from './error-status';

const DATABASE_DOWN = 'The database is unavailable right now, so the request could not be completed. Try again in a few seconds.';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function detailOf(response: unknown, fallback: string): { detail: string; extensions: Record<string, unknown> } {
  if (typeof response === 'string') return { detail: response, extensions: {} };
  if (response && typeof response === 'object') {
    const { message, error: _error, statusCode: _status, ...extensions } = response as Record<string, unknown>;
    if (Array.isArray(message)) return { detail: message.join('; '), extensions: { ...extensions, errors: message } };
    if (typeof message === 'string') return { detail: message, extensions };
  }
  return { detail: fallback, extensions: {} };
}

/**
 * Every error leaves the API as application/problem+json (RFC 9457) with a detail a person can act on.
 * The one place domain errors become HTTP: a DomainError's kind gives the status (DOMAIN_ERROR_STATUS).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const status = statusOf(exception);
    const { detail, extensions } =
      exception instanceof HttpException
        ? detailOf(exception.getResponse(), exception.message)
        : exception instanceof DomainError
          ? { detail: exception.field ? `${exception.field}: ${exception.message}` : exception.message, extensions: exception.extensions }
          : { detail: status === HttpStatus.SERVICE_UNAVAILABLE ? DATABASE_DOWN : 'An unexpected error occurred; it has been logged with the request id.', extensions: {} };
    if (status >= 500) this.logger.error({ err: exception, url: redactUrl(request.originalUrl) }, 'request failed');
    if (status === HttpStatus.SERVICE_UNAVAILABLE && !response.headersSent) response.setHeader('Retry-After', '5');
    const body: ProblemDetails = {
      type: 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      instance: request.originalUrl,
      requestId: currentLogContext().requestId,
      ...extensions,
    };
    if (response.headersSent) return;
    response.status(status).type('application/problem+json').send(JSON.stringify(body));
  }
}
