import type { Model, Run } from '@lesionlab/contracts';
import { TrainRunJob } from './train-run.job';

/** A train job whose run already succeeded: a worker was lost after registering the model, before queueing. */
function jobFor(run: Pick<Run, 'id' | 'status' | 'modelId'>, evaluations: Model['evaluations']) {
  const queued: string[] = [];
  const job = new TrainRunJob(
    { state: async () => ({ run, cancelRequested: false }) } as never,
    { get: async (id: string) => (id === run.modelId ? { id, evaluations } : null) } as never,
    { queueEvaluation: async (id: string) => void queued.push(id) } as never,
    {} as never,
    {} as never,
    {} as never,
    {} as never,
    {} as never,
  );
  return { job, queued };
}

describe('TrainRunJob: the retry of a run that already succeeded', () => {
  it("queues the evaluations its model still waits for, and trains nothing", async () => {
    const { job, queued } = jobFor({ id: 'run-1', status: 'succeeded', modelId: 'model-1' }, [
      { id: 'eval-queued', split: 'test', status: 'queued' },
      { id: 'eval-done', split: 'test', status: 'succeeded' },
      { id: 'eval-running', split: 'val', status: 'running' },
    ]);
    await expect(job.handle({ runId: 'run-1' }, {} as never)).resolves.toEqual({ status: 'succeeded' });
    expect(queued).toEqual(['eval-queued']);
  });

  it('queues nothing for a cancelled run', async () => {
    const { job, queued } = jobFor({ id: 'run-2', status: 'cancelled', modelId: null }, []);
    await expect(job.handle({ runId: 'run-2' }, {} as never)).resolves.toEqual({ status: 'cancelled' });
    expect(queued).toEqual([]);
  });
});
