import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DomainError } from '@lesionlab/contracts';
import { PermanentJobError } from '@lesionlab/platform';
import type { HeldPlacement } from '../trainer/trainer-runtime';
import { runTrainerJob } from './trainer-job';

/** A worker machine with one GPU, remembering what was placed, released and made. */
function fakeRuntime(root: string, options: { placeFails?: Error } = {}) {
  const events: string[] = [];
  return {
    events,
    runtime: {
      async place(model: string, gpus: number, log: (message: string) => Promise<void>): Promise<HeldPlacement> {
        if (options.placeFails) throw options.placeFails;
        await log(`running ${model} on ${gpus} GPU`);
        events.push('placed');
        return { gpus: ['0'], device: 'cuda:0', release: () => void events.push('released') };
      },
      async workDir(kind: string, id: string) {
        const folder = path.join(root, `${kind}-${id}`);
        await fs.promises.mkdir(folder, { recursive: true });
        events.push('folder');
        return folder;
      },
    },
  };
}

describe('runTrainerJob: the status life of train, evaluate and predict', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-job-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const cases: Array<{ name: string; attempt: number; thrown: Error | null; failed: string[] }> = [
    { name: 'work that succeeds marks nothing failed', attempt: 1, thrown: null, failed: [] },
    { name: 'a retryable failure before the last try leaves the row for the retry', attempt: 1, thrown: new Error('network blip'), failed: [] },
    { name: 'a retryable failure on the last try marks the row failed', attempt: 3, thrown: new Error('network blip'), failed: ['network blip'] },
    { name: 'a permanent failure marks the row failed at once', attempt: 1, thrown: new PermanentJobError('the trainer exited with code 2'), failed: ['the trainer exited with code 2'] },
    { name: 'an invalid DomainError (the queue will not retry it) marks the row failed at once', attempt: 1, thrown: new DomainError('invalid', 'the release has no test split'), failed: ['the release has no test split'] },
    { name: 'an unavailable DomainError before the last try leaves the row for the retry', attempt: 1, thrown: new DomainError('unavailable', 'object storage did not answer'), failed: [] },
  ];
  it.each(cases)('$name, and gives the GPUs and the folder back', async ({ attempt, thrown, failed }) => {
    const { runtime, events } = fakeRuntime(root);
    const logged: string[] = [];
    const marked: string[] = [];
    let folderSeen = '';
    const outcome = runTrainerJob(
      { runtime, context: { attempt, maxAttempts: 3, log: async (m) => void logged.push(m) }, model: 'jcs-lite', gpus: 1, kind: 'evaluation', id: 'e1', fail: async (m) => void marked.push(m) },
      async (placement, folder) => {
        folderSeen = folder;
        expect(placement.gpus).toEqual(['0']);
        fs.writeFileSync(path.join(folder, 'out.txt'), 'partial');
        if (thrown) throw thrown;
        return 'done';
      },
    );
    if (thrown) await expect(outcome).rejects.toBe(thrown);
    else await expect(outcome).resolves.toBe('done');
    expect(marked).toEqual(failed);
    expect(events).toEqual(['placed', 'folder', 'released']);
    expect(fs.existsSync(folderSeen)).toBe(false);
    expect(logged).toEqual(['running jcs-lite on 1 GPU']);
  });

  it('records the failure when no GPU can be placed (a worker without GPUs refusing a large model)', async () => {
    const refusal = new PermanentJobError('This worker has no GPU, and jcs is too large for the CPU');
    const { runtime, events } = fakeRuntime(root, { placeFails: refusal });
    const marked: string[] = [];
    const work = jest.fn();
    await expect(
      runTrainerJob({ runtime, context: { attempt: 1, maxAttempts: 3, log: async () => undefined }, model: 'jcs', gpus: 1, kind: 'run', id: 'r1', fail: async (m) => void marked.push(m) }, work),
    ).rejects.toBe(refusal);
    expect(marked).toEqual([refusal.message]);
    expect(work).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  });
});
