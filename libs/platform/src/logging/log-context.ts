import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids that follow a request or a job through every log line written on its behalf. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  jobName?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
