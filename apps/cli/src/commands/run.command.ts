import { SingleBar, Presets } from 'cli-progress';
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { TRAINER_MODELS, type CreateRun, type Run } from '@lesionlab/contracts';
import { getJson, postJson } from '../api-client';

interface RunCreateOptions {
  release: string;
  model: CreateRun['model'];
  epochs?: string;
  steps?: string;
  batchSize?: string;
  imageSize?: string;
  gpus?: string;
  set?: string[];
  wait?: boolean;
  json?: boolean;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** `key=value` trainer settings (values read as JSON when they parse). */
function parseSettings(pairs: string[] = []): Record<string, string | number | boolean> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const [key, ...rest] = pair.split('=');
      const raw = rest.join('=');
      try {
        return [key, JSON.parse(raw) as string | number | boolean];
      } catch {
        return [key, raw];
      }
    }),
  );
}

export function runRequest(options: RunCreateOptions): CreateRun {
  const number = (value?: string) => (value === undefined ? undefined : Number(value));
  return {
    releaseId: options.release,
    model: options.model,
    epochs: number(options.epochs),
    steps: number(options.steps),
    batchSize: number(options.batchSize),
    imageSize: number(options.imageSize),
    gpus: number(options.gpus) ?? 1,
    settings: parseSettings(options.set),
  };
}

export function renderRuns(runs: Run[]): string {
  const table = new Table({ head: ['run', 'model', 'status', 'device', 'step', 'loss', 'img/s', 'created'] });
  for (const run of runs) {
    const p = run.progress;
    table.push([run.id, run.config.model, run.status, run.device ?? '', p ? `${p.step}/${p.totalSteps}` : '', p?.loss?.toFixed(4) ?? '', p?.imagesPerS.toFixed(1) ?? '', run.createdAt]);
  }
  const failed = runs.find((r) => r.error);
  return failed && runs.length === 1 ? `${table.toString()}\nerror: ${failed.error}\n${failed.logTail.slice(-10).join('\n')}` : table.toString();
}

/** Polls a run until it ends, drawing a progress bar of its steps on stderr (unless quiet). */
export async function waitForRun(id: string, quiet: boolean): Promise<Run> {
  const bar = quiet ? null : new SingleBar({ format: 'training [{bar}] {value}/{total} steps | loss {loss} | {rate} img/s | {status}', stream: process.stderr }, Presets.shades_classic);
  bar?.start(1, 0, { loss: '-', rate: '-', status: 'queued' });
  try {
    for (;;) {
      const { body } = await getJson<Run>(`/api/runs/${id}`);
      const p = body.progress;
      if (p) bar?.setTotal(Math.max(p.totalSteps, 1));
      bar?.update(p?.step ?? 0, { loss: p?.loss?.toFixed(4) ?? '-', rate: p?.imagesPerS.toFixed(1) ?? '-', status: body.status });
      if (FINISHED.has(body.status)) return body;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    bar?.stop();
  }
}

export function registerRunCommand(program: Command): void {
  const run = program.command('run').description('training runs: create, list, show, cancel');
  run
    .command('create')
    .description('train a model on a ready release')
    .requiredOption('--release <id>', 'the release to train on')
    .addOption(new Option('--model <name>', 'the model preset').choices([...TRAINER_MODELS]).default('jcs'))
    .option('--epochs <n>', 'epochs over the training split')
    .option('--steps <n>', 'optimiser steps (instead of epochs)')
    .option('--batch-size <n>', 'images per step')
    .option('--image-size <px>', 'input size, a multiple of 32')
    .option('--gpus <n>', 'GPUs of one worker (several run under torchrun)')
    .option('--set <key=value...>', 'any other trainer setting')
    .option('--wait', 'wait for the run to finish, with a progress bar')
    .option('--json', 'print the run as JSON')
    .action(async (options: RunCreateOptions) => {
      const { body: created } = await postJson<Run>('/api/runs', runRequest(options));
      const result = options.wait ? await waitForRun(created.id, Boolean(options.json)) : created;
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderRuns([result])}\n`);
      if (result.status === 'failed' || result.status === 'cancelled') process.exitCode = 1;
    });
  run
    .command('list')
    .description('the newest runs')
    .action(async () => {
      const { body } = await getJson<{ items: Run[] }>('/api/runs');
      process.stdout.write(`${renderRuns(body.items)}\n`);
    });
  run
    .command('show <id>')
    .option('--wait', 'follow the run until it ends')
    .action(async (id: string, options: { wait?: boolean }) => {
      const result = options.wait ? await waitForRun(id, false) : (await getJson<Run>(`/api/runs/${id}`)).body;
      process.stdout.write(`${renderRuns([result])}\n`);
    });
  run
    .command('cancel <id>')
    .action(async (id: string) => {
      const { body } = await postJson<Run>(`/api/runs/${id}/cancel`, {});
      process.stdout.write(`${renderRuns([body])}\n`);
    });
}
