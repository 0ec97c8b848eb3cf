import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { MODEL_STAGES, SPLIT_NAMES } from '@lesionlab/contracts';
import type { EvaluationReport } from '@lesionlab/contracts/trainer';
import type { Schemas } from '@lesionlab/api-client';
import { connect } from '../connection';
import { CommandFailure } from '../exit-codes';
import { follow } from '../follow';
import { percent, print } from '../output';
import { addSelectionOptions, selectionFrom, type SelectionOptions } from './release.command';

type Model = Schemas['Model'];
type Evaluation = Schemas['Evaluation'];
type Prediction = Schemas['PredictionBatchDetail'];
type Interval = [number | null, number | null];

const ENDED = (status: string) => status === 'succeeded' || status === 'failed';

export function renderModels(models: Model[]): string {
  const table = new Table({ head: ['model', 'name', 'version', 'architecture', 'stage', 'release', 'evaluations', 'created'] });
  for (const m of models) table.push([m.id, m.name, m.version, m.architecture, m.stage, m.releaseId, m.evaluations.length, m.createdAt]);
  return table.toString();
}

const withInterval = (value: number | null, interval?: Interval) =>
  interval && interval[0] !== null && interval[1] !== null ? `${percent(value)} (95% CI ${percent(interval[0])}–${percent(interval[1])})` : percent(value);

/** The headline metrics of an evaluation report: Dice with its CI, IoU, sensitivity, specificity, AUC, accuracy. */
export function renderEvaluation(evaluation: Evaluation): string {
  const head = `evaluation ${evaluation.id} on the ${evaluation.split} split of release ${evaluation.releaseId}: ${evaluation.status}`;
  if (evaluation.error) return `${head}\nerror: ${evaluation.error}`;
  const report = evaluation.report as EvaluationReport | null;
  if (!report) return head;
  const table = new Table({ head: ['metric', 'value', 'on'] });
  const segmentation = report.segmentation_lesion_slices ?? report.segmentation;
  if (segmentation) {
    const on = `${segmentation.slices} slices${report.segmentation_lesion_slices ? ' with lesions' : ''}`;
    table.push(['Dice (mean)', withInterval(segmentation.dice_mean, segmentation.dice_mean_ci95), on]);
    table.push(['Dice (global)', withInterval(segmentation.dice_global, segmentation.dice_global_ci95), on]);
    table.push(['IoU (mean)', percent(segmentation.iou_mean), on]);
    table.push(['pixel sensitivity', percent(segmentation.sensitivity_mean), on]);
    table.push(['pixel specificity', percent(segmentation.specificity_mean), on]);
  }
  const classification = report.classification;
  if (classification) {
    const on = `${classification.slices} slices`;
    table.push(['AUC', withInterval(classification.auc, classification.auc_ci95), on]);
    table.push([`sensitivity @${classification.threshold}`, percent(classification.sensitivity), on]);
    table.push([`specificity @${classification.threshold}`, percent(classification.specificity), on]);
    table.push(['accuracy', percent(classification.accuracy), on]);
    const p = classification.patient;
    table.push(['patient sensitivity', percent(p.sensitivity), `patients, ${p.rule.kind} rule ${p.rule.value}`]);
    table.push(['patient specificity', percent(p.specificity), `patients, ${p.rule.kind} rule ${p.rule.value}`]);
  }
  return `${head}\n${table.toString()}`;
}

function failIfFailed(job: { status: string; error: string | null }, what: string): void {
  if (job.status === 'failed') throw new CommandFailure(`${what} failed: ${job.error ?? 'no error recorded'}`);
}

function waitForEvaluation(id: string, quiet: boolean): Promise<Evaluation> {
  const api = connect();
  return follow<Evaluation>({
    poll: async () => (await api.GET('/api/evaluations/{id}', { params: { path: { id } } })).data!,
    ended: (e) => ENDED(e.status),
    progress: (e) => ({ value: ENDED(e.status) ? 1 : 0, total: 1, fields: { status: e.status } }),
    format: 'evaluating [{bar}] {status}',
    quiet,
    intervalMs: 1000,
  });
}

function waitForPrediction(id: string, quiet: boolean): Promise<Prediction> {
  const api = connect();
  return follow<Prediction>({
    poll: async () => (await api.GET('/api/predictions/{id}', { params: { path: { id } } })).data!,
    ended: (p) => ENDED(p.status),
    progress: (p) => ({ value: p.outputs.length, total: p.slices, fields: { status: p.status, drafts: p.drafts } }),
    format: 'predicting [{bar}] {value}/{total} slices | {drafts} drafts | {status}',
    quiet,
    intervalMs: 1000,
  });
}

function renderPrediction(batch: Schemas['PredictionBatch']): string {
  const table = new Table({ head: ['prediction', 'model', 'status', 'slices', 'drafts', 'created'] });
  table.push([batch.id, batch.modelId, batch.status, batch.slices, batch.drafts, batch.createdAt]);
  return batch.error ? `${table.toString()}\nerror: ${batch.error}` : table.toString();
}

export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('registered models: list, show, evaluate, predict, promote');

  model
    .command('list')
    .description('registered models, newest first')
    .option('--json', 'print the models as JSON')
    .action(async (options: { json?: boolean }) => {
      const { items } = (await connect().GET('/api/models')).data!;
      print(options.json, items, () => renderModels(items));
    });

  model
    .command('show <id>')
    .description('a model and the headline metrics of its latest finished evaluation')
    .option('--json', 'print the model and that evaluation as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const api = connect();
      const found = (await api.GET('/api/models/{id}', { params: { path: { id } } })).data!;
      const latest = found.evaluations.filter((e) => ENDED(e.status)).at(-1);
      const evaluation = latest ? (await api.GET('/api/evaluations/{id}', { params: { path: { id: latest.id } } })).data! : null;
      print(options.json, { model: found, evaluation }, () => `${renderModels([found])}\n${evaluation ? renderEvaluation(evaluation) : 'no finished evaluation yet (lesionlab model evaluate)'}`);
    });

  model
    .command('evaluate <id>')
    .description('evaluate a model on a release split (a job)')
    .option('--release <id>', 'the release (default: the one the model was trained on)')
    .addOption(new Option('--split <split>', 'the split').choices([...SPLIT_NAMES]).default('test'))
    .option('--wait', 'wait for the evaluation, then print its metrics')
    .option('--json', 'print the evaluation as JSON')
    .action(async (id: string, options: { release?: string; split: Evaluation['split']; wait?: boolean; json?: boolean }) => {
      const started = (await connect().POST('/api/models/{id}/evaluate', { params: { path: { id } }, body: { split: options.split, ...(options.release && { releaseId: options.release }) } })).data!;
      const result = options.wait ? await waitForEvaluation(started.id, Boolean(options.json)) : started;
      print(options.json, result, () => renderEvaluation(result));
      failIfFailed(result, `evaluation ${result.id}`);
    });

  addSelectionOptions(model.command('predict <id>').description('predict a catalog selection: each slice gets a model-authored draft mask (a job)'))
    .option('--no-gradcam', 'skip the Grad-CAM heat maps')
    .option('--wait', 'wait for the predictions, with a progress bar')
    .option('--json', 'print the prediction batch as JSON')
    .action(async (id: string, options: SelectionOptions & { gradcam: boolean; wait?: boolean; json?: boolean }) => {
      const started = (await connect().POST('/api/models/{id}/predict', { params: { path: { id } }, body: { selection: selectionFrom(options), gradcam: options.gradcam } })).data!;
      const result = options.wait ? await waitForPrediction(started.id, Boolean(options.json)) : started;
      print(options.json, result, () => renderPrediction(result));
      failIfFailed(result, `prediction ${result.id}`);
    });

  model
    .command('promote <id>')
    .description("set a model's stage; promoting one to production archives the previous production version of its name")
    .addOption(new Option('--stage <stage>', 'the new stage').choices([...MODEL_STAGES]).default('production'))
    .option('--json', 'print the model as JSON')
    .action(async (id: string, options: { stage: Model['stage']; json?: boolean }) => {
      const changed = (await connect().PATCH('/api/models/{id}', { params: { path: { id } }, body: { stage: options.stage } })).data!;
      print(options.json, changed, () => renderModels([changed]));
    });
}
