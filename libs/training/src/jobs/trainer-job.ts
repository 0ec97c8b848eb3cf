import fs from 'node:fs';
import type { TrainerModel } from '@lesionlab/contracts';
import { isPermanentJobFailure, type JobContext } from '@lesionlab/platform';
import type { HeldPlacement, TrainerRuntime } from '../trainer/trainer-runtime';

type Attempts = Pick<JobContext, 'attempt' | 'maxAttempts'>;

/**
 * The status life the train, evaluate and predict jobs share: when `work` fails in a way the next try
 * cannot fix (isPermanentJobFailure: a PermanentJobError or a DomainError such as `invalid`), or on the job's last try, `fail` records the reason on the job's own
 * row (run, evaluation, prediction batch) before the error goes on to the queue. Otherwise the row
 * stays as it is and the queue retries.
 */
export async function failWhenGivingUp<T>(context: Attempts, fail: (message: string) => Promise<void>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPermanentJobFailure(error) || context.attempt >= context.maxAttempts) await fail((error as Error).message);
    throw error;
  }
}

export interface TrainerWork {
  runtime: Pick<TrainerRuntime, 'place' | 'workDir'>;
  context: Pick<JobContext, 'log'>;
  model: TrainerModel;
  gpus: number;
  /** Names the work folder: `<kind>-<id>-…`. */
  kind: string;
  id: string;
}

/** Runs `work` on GPUs placed for it, in a fresh work folder; the GPUs and the folder are given back whatever happens. */
export async function withTrainerWork<T>(setup: TrainerWork, work: (placement: HeldPlacement, folder: string) => Promise<T>): Promise<T> {
  const placement = await setup.runtime.place(setup.model, setup.gpus, (message) => setup.context.log(message));
  try {
    const folder = await setup.runtime.workDir(setup.kind, setup.id);
    try {
      return await work(placement, folder);
    } finally {
      await fs.promises.rm(folder, { recursive: true, force: true });
    }
  } finally {
    placement.release();
  }
}

/** Both: the usual trainer job, which records on its row that it gave up, including when no GPU could be placed. */
export function runTrainerJob<T>(
  setup: TrainerWork & { context: Pick<JobContext, 'log' | 'attempt' | 'maxAttempts'>; fail: (message: string) => Promise<void> },
  work: (placement: HeldPlacement, folder: string) => Promise<T>,
): Promise<T> {
  return failWhenGivingUp(setup.context, setup.fail, () => withTrainerWork(setup, work));
}
