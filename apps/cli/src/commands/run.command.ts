import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import type { Schemas } from '@lesionlab/api-client';
import { RECIPE_NAMES, TRAINER_MODELS, type Run } from '@lesionlab/contracts';
import { connect } from '../connection';
import { follow } from '../follow';
import { print } from '../output';

interface RunCreateOptions {
  release: string;
  model?: Schemas['CreateRun']['model'];
  recipe?: string;
  recipeVersion?: string;
  pretrainRelease?: string;
  initModel?: string;
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

export function runRequest(options: RunCreateOptions): Schemas['CreateRun'] {
  const number = (value?: string) => (value === undefined ? undefined : Number(value));
  return {
    releaseId: options.release,
    model: options.model, // absent: the API takes the recipe's model, or jcs
    recipe: options.recipe,
    recipeVersion: number(options.recipeVersion),
    pretrainReleaseId: options.pretrainRelease,
    initModelId: options.initModel,
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
    const model = run.config.recipe ? `${run.config.model} (recipe ${run.config.recipe} v${run.config.recipeVersion})` : run.config.model;
    table.push([run.id, model, run.status, run.device ?? '', p ? `${p.step}/${p.totalSteps}` : '', p?.loss?.toFixed(4) ?? '', p?.imagesPerS.toFixed(1) ?? '', run.createdAt]);
  }
  const failed = runs.find((r) => r.error);
  return failed && runs.length === 1 ? `${table.toString()}\nerror: ${failed.error}\n${failed.logTail.slice(-10).join('\n')}` : table.toString();
}

/** Polls a run until it ends, drawing a progress bar of its steps on stderr (unless quiet). */
export function waitForRun(id: string, quiet: boolean): Promise<Run> {
  const api = connect();
  return follow<Run>({
    poll: async () => (await api.GET('/api/runs/{id}', { params: { path: { id } } })).data!,
    ended: (run) => FINISHED.has(run.status),
    progress: ({ progress: p, status }) => ({ value: p?.step ?? 0, total: p?.totalSteps ?? 1, fields: { loss: p?.loss?.toFixed(4) ?? '-', rate: p?.imagesPerS.toFixed(1) ?? '-', status } }),
    format: 'training [{bar}] {value}/{total} steps | loss {loss} | {rate} img/s | {status}',
    quiet,
    intervalMs: 1000,
  });
}

export function registerRunCommand(program: Command): void {
  const run = program.command('run').description('training runs: create, list, show, cancel');
  run
    .command('create')
    .description('train a model on a ready release')
    .requiredOption('--release <id>', 'the release to train on')
    .addOption(new Option('--model <name>', "the model preset (default: jcs, or the recipe's)").choices([...TRAINER_MODELS]))
    .addOption(new Option('--recipe <name>', 'a training recipe: its stages set the sizes (apps/trainer/README.md: Recipes)').choices([...RECIPE_NAMES]))
    .option('--recipe-version <n>', "the recipe's version (default: its newest)")
    .option('--pretrain-release <id>', "the release a recipe's pretraining stage trains on")
    .option('--init-model <id>', "a registered model of the same preset to start from (default: the preset's own weights; not with --recipe)")
    .option('--epochs <n>', 'epochs over the training split')
    .option('--steps <n>', 'optimiser steps (instead of epochs)')
    .option('--batch-size <n>', 'images per step')
    .option('--image-size <px>', 'input size, a multiple of 32')
    .option('--gpus <n>', 'GPUs of one worker (several run under torchrun)')
    .option('--set <key=value...>', 'a trainer setting from the allowlist (README: Training runs); others are refused')
    .option('--wait', 'wait for the run to finish, with a progress bar')
    .option('--json', 'print the run as JSON')
    .action(async (options: RunCreateOptions) => {
      const created = (await connect().POST('/api/runs', { body: runRequest(options) })).data!;
      const result = options.wait ? await waitForRun(created.id, Boolean(options.json)) : created;
      print(options.json, result, () => renderRuns([result]));
      if (result.status === 'failed' || result.status === 'cancelled') process.exitCode = 1;
    });
  run
    .command('list')
    .description('the newest runs')
    .option('--json', 'print the runs as JSON')
    .action(async (options: { json?: boolean }) => {
      const { items } = (await connect().GET('/api/runs')).data!;
      print(options.json, items, () => renderRuns(items));
    });
  run
    .command('show <id>')
    .option('--wait', 'follow the run until it ends')
    .option('--json', 'print the run as JSON')
    .action(async (id: string, options: { wait?: boolean; json?: boolean }) => {
      const result = options.wait ? await waitForRun(id, Boolean(options.json)) : (await connect().GET('/api/runs/{id}', { params: { path: { id } } })).data!;
      print(options.json, result, () => renderRuns([result]));
    });
  run
    .command('cancel <id>')
    .option('--json', 'print the run as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const cancelled = (await connect().POST('/api/runs/{id}/cancel', { params: { path: { id } } })).data!;
      print(options.json, cancelled, () => renderRuns([cancelled]));
    });
}
