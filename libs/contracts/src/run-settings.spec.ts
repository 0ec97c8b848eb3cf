import { randomUUID } from 'node:crypto';
import { createRunSchema } from './training';

const parse = (settings: unknown) => createRunSchema.safeParse({ releaseId: randomUUID(), settings });
const messages = (settings: unknown) => {
  const result = parse(settings);
  if (result.success) throw new Error(`accepted ${JSON.stringify(settings)}`);
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('run settings: the allowlist of trainer settings a user may set', () => {
  it('refuses the settings that name files or the worker\'s housekeeping, naming each', () => {
    expect(messages({ init_checkpoint: '/etc/passwd' }).join('\n')).toMatch(/^settings: init_checkpoint is not a setting a run may set \(allowed: width, .*log_every\)$/);
    expect(messages({ cache_dir: '/', device: 'cuda', lr: 1e-4 }).join('\n')).toMatch(/cache_dir, device are not settings a run may set/);
    for (const name of ['keep_checkpoints', 'model', 'no_such_setting']) expect(messages({ [name]: 1 }).join('\n')).toMatch(new RegExp(`settings: ${name} is not a setting`));
  });

  it('checks each allowed setting\'s type and range, naming it', () => {
    expect(messages({ lr: 0 })).toEqual([expect.stringMatching(/^settings\.lr: /)]);
    expect(messages({ lr: '1e-3' })).toEqual([expect.stringMatching(/^settings\.lr: .*number/)]);
    expect(messages({ batch_size: 4 })).toEqual([expect.stringMatching(/batch_size is not a setting/)]);
    expect(messages({ crop_p: 1.5 })).toEqual([expect.stringMatching(/^settings\.crop_p: /)]);
    expect(messages({ log_every: 2.5 })).toEqual([expect.stringMatching(/^settings\.log_every: /)]);
    expect(messages({ precision: 'fp16' })).toEqual([expect.stringMatching(/^settings\.precision: /)]);
    expect(messages({ compile: 'true' })).toEqual([expect.stringMatching(/^settings\.compile: /)]);
    expect(messages({ sampling: { pixel: 0 } })).toEqual([expect.stringMatching(/^settings\.sampling: needs at least one positive ratio/)]);
    expect(messages({ sampling: { pixel: 1, unlabelled: 1 } }).join('\n')).toMatch(/settings\.sampling: .*unlabelled/);
  });

  it('accepts the settings a user tunes, with their values unchanged', () => {
    const settings = { lr: 3e-4, warmup_steps: 10, sampling: { pixel: 1 }, precision: 'fp32', compile: true, log_every: 2, checkpoint_every: 3, norm: 'gn', width: 0.25, seed: 7 };
    const result = parse(settings);
    expect(result.success && result.data.settings).toEqual(settings);
    expect(createRunSchema.parse({ releaseId: randomUUID() }).settings).toEqual({});
  });
});
