import fs from 'node:fs';
import path from 'node:path';
import { parseTrainerLine, type TrainerEvent } from './trainer-events';
import { startTrainer } from './trainer-process';

/** Real stdout of the trainer's train, evaluate and predict on medseg-ct100, and of a train whose manifest is missing. */
const RECORDED = fs.readFileSync(path.join(__dirname, '../../test/trainer-output/events.jsonl'), 'utf8').split('\n').filter(Boolean);

const errorMessage = (event: TrainerEvent | null) => (event?.type === 'error' ? event.message : `not an error: ${JSON.stringify(event)}`);

describe('trainer events from stdout, checked against trainer-events.schema.json', () => {
  it('reads every recorded line as the event it is, with its fields typed', () => {
    const events = RECORDED.map(parseTrainerLine);
    expect(events.map((e) => e?.type)).toEqual(RECORDED.map((line) => JSON.parse(line).type));
    expect(events.filter((e) => e?.type === 'error')).toHaveLength(1); // the missing manifest's own error
    const progress = events.find((e) => e?.type === 'progress');
    expect(progress?.type === 'progress' && [progress.step, progress.total_steps]).toEqual([1, 2]);
    const artifacts = events.flatMap((e) => (e?.type === 'artifact' ? [e.kind] : []));
    expect(artifacts).toEqual(['model', 'model', 'report', 'slices-csv', 'predictions']);
    expect(errorMessage(events.at(-1)!)).toMatch(/^manifest not found: .*missing\.jsonl$/);
  });

  it('turns a line that breaks the schema into an error naming the field and the rule', () => {
    const progress = JSON.parse(RECORDED.find((line) => line.includes('"progress"'))!);
    expect(errorMessage(parseTrainerLine(JSON.stringify({ ...progress, step: '2' })))).toMatch(
      /^the trainer wrote a line that breaks trainer-events\.schema\.json \(progress event\) at \/step: must be integer: \{"type":"progress"/,
    );
    expect(errorMessage(parseTrainerLine(JSON.stringify({ ...progress, speed: 3 })))).toContain('(progress event) at (top level): must NOT have additional properties ("speed")');
    expect(errorMessage(parseTrainerLine('{"type":"metric","time":1,"name":"dice","value":0.5,"split":"holdout"}'))).toContain(
      '(metric event) at /split: must be equal to one of the allowed values ("train", "val", "test")',
    );
    expect(errorMessage(parseTrainerLine('{"type":"heartbeat","time":1}'))).toContain('at /type: must be one of progress, metric, checkpoint, artifact, stage, log, done, error (got "heartbeat")');
    expect(errorMessage(parseTrainerLine('{"type":"log","level":"info","message":"no time"}'))).toContain("must have required property 'time'");
  });

  it("reads a recipe's stage events, and refuses one without its state", () => {
    const started = { type: 'stage', time: 1, command: 'recipe', recipe: 'jcs', version: 2, name: 'pretrain', index: 0, total: 2, state: 'started', description: 'x' };
    expect(parseTrainerLine(JSON.stringify(started))).toEqual(started);
    expect(parseTrainerLine(JSON.stringify({ ...started, state: 'finished', seconds: 12.5 }))).toMatchObject({ state: 'finished', seconds: 12.5 });
    expect(errorMessage(parseTrainerLine(JSON.stringify({ ...started, state: undefined })))).toContain("(stage event) at (top level): must have required property 'state'");
  });

  it('names a line that is not JSON, and quotes at most 300 characters of it', () => {
    const message = errorMessage(parseTrainerLine(`{"type":"log","message":"${'x'.repeat(1000)}`));
    expect(message).toMatch(/^the trainer wrote a line that is not JSON \(.+\): \{"type":"log"/);
    expect(message.length).toBeLessThan(450);
  });

  it('keeps stray output that is not an event as an info log, and skips blank lines', () => {
    expect(parseTrainerLine('Downloading: 100%')).toMatchObject({ type: 'log', level: 'info', message: 'Downloading: 100%' });
    expect(parseTrainerLine('   ')).toBeNull();
  });

  it('makes a malformed line the trainer process\'s error, even when the trainer exits 0, so the job fails with it', async () => {
    const bad = JSON.stringify({ ...JSON.parse(RECORDED.find((line) => line.includes('"checkpoint"'))!), step: -1 });
    const lines = [RECORDED[0], bad, RECORDED.at(-2)!]; // a log, the bad checkpoint, done
    const seen: string[] = [];
    const trainer = startTrainer({ command: process.execPath, args: ['-e', `console.log(${JSON.stringify(lines.join('\n'))})`], env: {} }, async (event) => {
      seen.push(event.type);
    });
    const exit = await trainer.exited;
    expect(exit.code).toBe(0);
    expect(seen).toEqual(['log', 'error', 'done']);
    expect(exit.error?.message).toMatch(/^the trainer wrote a line that breaks trainer-events\.schema\.json \(checkpoint event\) at \/step: must be >= 0: /);
  });
});
