export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

const ALLOWED: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'cancelled', 'failed'],
  // running → queued: a worker died and the run waits to resume from its last checkpoint
  running: ['succeeded', 'failed', 'cancelled', 'queued'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export function isFinished(status: RunStatus): boolean {
  return ALLOWED[status].length === 0;
}

/** Checks a run's status change; a finished run never changes again. */
export function assertRunTransition(from: RunStatus, to: RunStatus): void {
  if (!ALLOWED[from].includes(to)) throw new Error(`A ${from} run cannot become ${to}`);
}
