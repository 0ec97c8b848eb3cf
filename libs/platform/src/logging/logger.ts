import pino, { type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';
import { currentLogContext } from './log-context';

export type { Logger } from 'pino';

const SECRET_KEYS = ['password', 'token', 'accessToken', 'refreshToken', 'authorization', 'cookie', 'secret', 'signature', 'SIGNING_SECRET', 'S3_SECRET_ACCESS_KEY', 'LESIONLAB_ADMIN_PASSWORD'];
const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

const SECRET_QUERY = /([?&](?:signature|token|access_token)=)[^&#]*/gi;

/** A URL fit for a log line: the values of signature and token query parameters are hidden. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

/** A JSON logger whose every line carries the current request or job id. */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => ({ ...currentLogContext() }),
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** NestJS's start-up chatter (one line per module and route): useful when debugging only. */
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Routes NestJS's own messages into the same JSON stream. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    if (context && FRAMEWORK_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
