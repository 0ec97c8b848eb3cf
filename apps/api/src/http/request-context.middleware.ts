import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { redactUrl, runWithLogContext, type Logger } from '@lesionlab/platform';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Gives each request an id (the caller's X-Request-Id when sane), echoes it, and logs the outcome. */
export function requestContext(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction) => {
    const given = request.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    runWithLogContext({ requestId }, () => {
      response.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info({ method: request.method, url: redactUrl(request.originalUrl), status: response.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      });
      next();
    });
  };
}
