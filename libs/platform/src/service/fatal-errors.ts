import type { Logger } from '../logging/logger';

/**
 * An uncaught exception or an unhandled promise rejection leaves the process in an unknown state: log it
 * (fatal, with the stack, in the service's own log) and exit with status 1 so that the supervisor
 * (compose, npm start) starts a clean process. Errors a request or a job can cause are handled where
 * they arise (streamed responses use stream.pipeline, jobs fail their job), so they never get here.
 */
export function exitOnFatalErrors(logger: Logger): void {
  const fail = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, `${kind}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
  process.on('uncaughtException', fail('uncaught exception'));
  process.on('unhandledRejection', fail('unhandled promise rejection'));
}
