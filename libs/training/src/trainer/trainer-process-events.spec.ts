import fs from 'node:fs';
import path from 'node:path';
import type { TrainerEvent } from './trainer-events';
import { startTrainer } from './trainer-process';

/** Lines of the trainer's real stdout to play back from a fake trainer. */
const RECORDED = fs.readFileSync(path.join(__dirname, '../../test/trainer-output/events.jsonl'), 'utf8').split('\n').filter(Boolean);
const line = (type: string) => RECORDED.find((l) => JSON.parse(l).type === type)!;

/** A fake trainer: a Node script that writes `stdout` lines, then `stderr` lines, then exits with `code`. */
function fakeTrainer(stdout: string[], stderr: string[] = [], code = 0) {
  const script = `for (const l of ${JSON.stringify(stdout)}) process.stdout.write(l + '\\n'); for (const l of ${JSON.stringify(stderr)}) process.stderr.write(l + '\\n'); process.exitCode = ${code};`;
  return { command: process.execPath, args: ['-e', script], env: {} };
}

describe('startTrainer reading a trainer', () => {
  it.each([
    {
      name: 'hands each event to the handler in order, plain text as log events, and exits clean',
      stdout: [line('progress'), 'warming up', line('metric'), line('done')],
      stderr: ['torch: a warning'],
      code: 0,
      events: ['progress', 'log', 'metric', 'done'],
      exit: { code: 0, signal: null, error: null, logTail: ['torch: a warning'] },
    },
    {
      name: "remembers the trainer's own error event",
      stdout: [line('progress'), line('error')],
      stderr: [],
      code: 1,
      events: ['progress', 'error'],
      exit: { code: 1, signal: null, error: expect.objectContaining({ type: 'error', message: JSON.parse(line('error')).message }), logTail: [] },
    },
    {
      name: 'turns a line that breaks the event schema into an error naming the schema',
      stdout: ['{"type":"progress","step":"two"}'],
      stderr: [],
      code: 0,
      events: ['error'],
      exit: { code: 0, signal: null, error: expect.objectContaining({ message: expect.stringContaining('breaks trainer-events.schema.json') }), logTail: [] },
    },
    {
      name: 'reports a non-zero exit with the tail of stderr',
      stdout: [],
      stderr: ['Traceback (most recent call last):', 'RuntimeError: CUDA out of memory'],
      code: 3,
      events: [],
      exit: { code: 3, signal: null, error: null, logTail: ['Traceback (most recent call last):', 'RuntimeError: CUDA out of memory'] },
    },
  ])('$name', async ({ stdout, stderr, code, events, exit }) => {
    const seen: TrainerEvent[] = [];
    const trainer = startTrainer(fakeTrainer(stdout, stderr, code), async (event) => void seen.push(event));
    expect(await trainer.exited).toEqual(exit);
    expect(seen.map((e) => e.type)).toEqual(events);
  });

  it('fails with the handler\'s error, and hands it no event after the one that failed', async () => {
    const seen: string[] = [];
    const trainer = startTrainer(fakeTrainer([line('progress'), line('metric'), line('done')]), async (event) => {
      seen.push(event.type);
      if (event.type === 'progress') throw new Error('the database went away');
    });
    await expect(trainer.exited).rejects.toThrow('the database went away');
    expect(seen).toEqual(['progress']);
  });
});
