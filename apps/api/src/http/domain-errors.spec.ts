import type { ArgumentsHost } from '@nestjs/common';
import { DOMAIN_ERROR_STATUS, DomainError, type DomainErrorKind } from '@lesionlab/contracts';
import type { Logger } from '@lesionlab/platform';
import { ProblemDetailsFilter } from './problem-details.filter';

/** Renders `error` through the global filter and returns what the client receives. */
function render(error: unknown): { status: number; type: string; body: Record<string, unknown>; headers: Record<string, string> } {
  const sent = { status: 0, type: '', body: {} as Record<string, unknown>, headers: {} as Record<string, string> };
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(type: string) {
      sent.type = type;
      return this;
    },
    send: (text: string) => (sent.body = JSON.parse(text)),
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ originalUrl: '/api/x' }), getResponse: () => response }) } as unknown as ArgumentsHost;
  const logger = { error: () => undefined } as unknown as Logger;
  new ProblemDetailsFilter(logger).catch(error, host);
  return sent;
}

describe('domain errors leave the API through the one filter', () => {
  it.each(Object.entries(DOMAIN_ERROR_STATUS) as Array<[DomainErrorKind, number]>)('kind %s is status %i', (kind, status) => {
    const answer = render(new DomainError(kind, 'what went wrong'));
    expect(answer).toMatchObject({ status, type: 'application/problem+json', body: { status, detail: 'what went wrong', instance: '/api/x' } });
  });

  it('prefixes the field and adds the extensions a subclass carries', () => {
    class StaleSave extends DomainError {
      constructor() {
        super('conflict', 'the current revision is r2', { field: 'rle', extensions: { current: { revisionId: 'r2' } } });
      }
    }
    expect(render(new StaleSave()).body).toMatchObject({ status: 409, title: 'Conflict', detail: 'rle: the current revision is r2', current: { revisionId: 'r2' } });
  });

  it('asks a client to retry an unavailable service later', () => {
    expect(render(new DomainError('unavailable', 'the model is loading')).headers).toEqual({ 'Retry-After': '5' });
  });

  it('keeps any other error a 500 that reveals nothing', () => {
    expect(render(new Error('secret internals')).body).toMatchObject({ status: 500, detail: 'An unexpected error occurred; it has been logged with the request id.' });
  });
});
