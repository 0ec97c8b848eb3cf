/** What a handler gets besides its payload. */
export interface JobContext {
  id: string;
  name: string;
  /** 1 on the first try. */
  attempt: number;
  /** How many tries the job has in all: on the last one a failure is final. */
  maxAttempts: number;
  /** A number 0–100 or an object with the details a UI shows. */
  updateProgress(progress: number | Record<string, unknown>): Promise<void>;
  log(message: string): Promise<void>;
  /** Aborted when the worker is shutting down and the job should hand itself back. */
  signal: AbortSignal;
}

export type JobHandlerFn = (payload: unknown, context: JobContext) => Promise<unknown>;

export { UnrecoverableError as PermanentJobError } from 'bullmq';
