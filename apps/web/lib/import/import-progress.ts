import type { ImportRun } from '@lesionlab/contracts';
import { secondsLeft } from './eta';

export interface ImportJobProgress {
  /** Files (or slices) handled so far: imported, already there, or failed. */
  done: number;
  /** What the import has found so far (0 while it is still listing the source). */
  total: number;
  /** 0–1, or null while the total is not known yet. */
  fraction: number | null;
  /** Estimated seconds left (null when not known). */
  etaS: number | null;
}

export const isFinished = (run: Pick<ImportRun, 'status'>) => run.status === 'succeeded' || run.status === 'failed';

/**
 * How far an import is, from the counts the API keeps on it (saved after each batch of slices): the
 * failures count both files the plan refused and files that failed to decode, so the total is what
 * was found plus what failed. A finished import is whole, whatever the counts.
 */
export function importJobProgress(run: ImportRun, now: number): ImportJobProgress {
  const done = run.imported + run.duplicates + run.failed;
  const total = Math.max(done, run.found + run.failed);
  if (isFinished(run)) return { done, total, fraction: 1, etaS: 0 };
  if (run.status === 'queued' || total === 0) return { done, total, fraction: null, etaS: null };
  const elapsed = run.startedAt ? now - Date.parse(run.startedAt) : 0;
  return { done, total, fraction: done / total, etaS: secondsLeft(done, total, elapsed) };
}
