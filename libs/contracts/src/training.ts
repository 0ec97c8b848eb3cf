import { z } from 'zod';
import { cocoRleSchema } from './masks';
import { SPLIT_NAMES, sliceSelectionSchema } from './releases';
import { findRecipe, needsPretrainRelease, RECIPE_NAMES } from './recipes';
import { runSettingsSchema } from './run-settings';

export { findRecipe, needsPretrainRelease, RECIPE_DATA_ROLES, RECIPE_NAMES, TRAINING_RECIPES, TRAINING_RECIPE_VERSIONS } from './recipes';
export type { RecipeDataRole, TrainingRecipe } from './recipes';

/** The trainer's model presets (apps/trainer: lesionlab_trainer.models.registry). */
export const TRAINER_MODELS = ['jcs', 'jcs-seg', 'jcs-cls', 'jcs-lite', 'jcs-seg-lite', 'jcs-cls-lite', 'medsam-lite'] as const;
export type TrainerModel = (typeof TRAINER_MODELS)[number];
/** Models small enough to train on a worker without a GPU (how CI runs the whole loop); medsam-lite only for a few steps. */
export const CPU_MODELS: readonly TrainerModel[] = ['jcs-lite', 'jcs-seg-lite', 'jcs-cls-lite', 'medsam-lite'];
/** Box-prompt models (AI assist) that the trainer's `evaluate` and `predict` cannot run on whole slices (their metrics and maps are the JCS heads'): no evaluation is queued for them, and the API refuses to evaluate or predict with them. */
export const UNEVALUATED_MODELS: readonly TrainerModel[] = ['medsam-lite'];

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run's configuration as the API stores and returns it (the model resolved). */
export const runConfigSchema = z
  .object({
    releaseId: z.uuid(),
    model: z.enum(TRAINER_MODELS),
    epochs: z.number().positive().max(10_000).optional(),
    steps: z.number().int().min(1).optional(),
    batchSize: z.number().int().min(1).max(1024).optional(),
    imageSize: z.number().int().min(32).max(2048).multipleOf(32).optional(),
    /** GPUs of one worker; more than one runs the trainer under torchrun. */
    gpus: z.number().int().min(1).max(16).default(1),
    settings: runSettingsSchema.default({}),
    /** A training recipe (TRAINING_RECIPES): its stages set the sizes; `settings` apply to every stage. */
    recipe: z
      .string()
      .refine((name) => RECIPE_NAMES.includes(name), { error: `is not a recipe (recipes: ${RECIPE_NAMES.join(', ')})` })
      .optional(),
    /** The recipe's version; the newest when absent (the API stores the version it ran). */
    recipeVersion: z.int().min(1).optional(),
    /** The release a recipe's `pretrain` stages train on (e.g. pseudo-labelled slices). */
    pretrainReleaseId: z.uuid().optional(),
    /** The registered model whose weights the run starts from (same trainer model); absent: the preset's own weights. */
    initModelId: z.uuid().optional().describe('A registered model of the same preset whose weights the run starts from (not with a recipe)'),
  })
  .strict();

/** POST /api/runs: as stored, but the model may be left out (the recipe's model, else jcs). */
export const createRunSchema = runConfigSchema
  .extend({ model: z.enum(TRAINER_MODELS).optional().describe("The model preset; absent: the recipe's model, or jcs without a recipe") })
  .strict()
  .superRefine((run, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (run.recipe !== undefined && run.initModelId !== undefined) issue('initModelId', `recipe ${run.recipe} sets each stage's starting weights itself: leave initModelId out or the recipe`);
    if (run.recipe === undefined) {
      if (run.recipeVersion !== undefined) issue('recipeVersion', 'recipeVersion needs a recipe');
      if (run.pretrainReleaseId !== undefined) issue('pretrainReleaseId', 'pretrainReleaseId needs a recipe that pretrains');
      return;
    }
    const recipe = findRecipe(run.recipe, run.recipeVersion);
    if (!recipe) return issue('recipeVersion', `recipe ${run.recipe} has no version ${run.recipeVersion}`);
    if (run.model !== undefined && run.model !== recipe.model) issue('model', `recipe ${recipe.name} trains ${recipe.model}; set model to ${recipe.model} or leave the recipe out`);
    for (const size of ['steps', 'epochs', 'batchSize', 'imageSize'] as const) {
      if (run[size] !== undefined) issue(size, `recipe ${recipe.name} sets ${size} per stage; leave it out`);
    }
    if (needsPretrainRelease(recipe) && run.pretrainReleaseId === undefined) issue('pretrainReleaseId', `recipe ${recipe.name} pretrains: name its release in pretrainReleaseId`);
    if (!needsPretrainRelease(recipe) && run.pretrainReleaseId !== undefined) issue('pretrainReleaseId', `recipe ${recipe.name} has no pretraining stage`);
  })
  .transform((run) => ({ ...run, model: run.model ?? defaultModel(run) }));
/** A run request after parsing: the model is always set. */
export type CreateRun = z.output<typeof createRunSchema>;

function defaultModel(run: { recipe?: string; recipeVersion?: number }): TrainerModel {
  const recipe = run.recipe === undefined ? undefined : findRecipe(run.recipe, run.recipeVersion);
  return (recipe?.model as TrainerModel | undefined) ?? 'jcs';
}

/** The run with its recipe's version fixed (the newest when the request named none), as the API stores it. */
export function pinRecipeVersion(config: CreateRun): CreateRun {
  if (config.recipe === undefined || config.recipeVersion !== undefined) return config;
  return { ...config, recipeVersion: findRecipe(config.recipe)!.version };
}

export const RUN_STAGE_STATES = ['pending', 'running', 'finished'] as const;

/** One stage of a recipe run, as the trainer's stage events left it. */
export const runStageSchema = z.object({
  name: z.string(),
  description: z.string(),
  state: z.enum(RUN_STAGE_STATES),
  seconds: z.number().nullable(),
});
export type RunStage = z.infer<typeof runStageSchema>;

export const runProgressSchema = z.object({
  step: z.number().int(),
  totalSteps: z.number().int(),
  epoch: z.number(),
  imagesPerS: z.number(),
  etaS: z.number().nullable(),
  loss: z.number().nullable(),
});
export type RunProgress = z.infer<typeof runProgressSchema>;

/** GET /api/runs/:id and each item of GET /api/runs. */
export const runSchema = z.object({
  id: z.uuid(),
  releaseId: z.uuid(),
  config: runConfigSchema,
  status: z.enum(RUN_STATUSES),
  device: z.string().nullable(),
  workerHost: z.string().nullable(),
  gpus: z.string().nullable(),
  progress: runProgressSchema.nullable(),
  resumedFromStep: z.number().int().nullable(),
  error: z.string().nullable(),
  logTail: z.array(z.string()),
  /** A recipe run's stages in order, with how far each got (absent or empty for a plain run). */
  stages: z.array(runStageSchema).optional(),
  modelId: z.uuid().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof runSchema>;

export const runMetricSchema = z.object({
  id: z.number().int(),
  step: z.number().int().nullable(),
  epoch: z.number().nullable(),
  name: z.string(),
  value: z.number().nullable(),
  split: z.enum(SPLIT_NAMES),
});
export type RunMetric = z.infer<typeof runMetricSchema>;

export const runArtifactSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  name: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  step: z.number().int().nullable(),
  createdAt: z.string(),
});
export type RunArtifact = z.infer<typeof runArtifactSchema>;

/** GET /api/runs/:id: the run with every metric and artifact it has stored so far. */
export const runDetailSchema = runSchema.extend({ metrics: z.array(runMetricSchema), artifacts: z.array(runArtifactSchema) });
export type RunDetail = z.infer<typeof runDetailSchema>;

export const MODEL_STAGES = ['candidate', 'production', 'archived'] as const;
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** GET /api/models/:id: a registered model (one per succeeded run). */
export const modelSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.number().int(),
  runId: z.uuid(),
  releaseId: z.uuid(),
  architecture: z.enum(TRAINER_MODELS),
  sha256: z.string(),
  metrics: z.record(z.string(), z.number().nullable()),
  stage: z.enum(MODEL_STAGES),
  evaluations: z.array(z.object({ id: z.uuid(), split: z.string(), status: z.enum(JOB_STATUSES) })),
  initModelId: z.uuid().nullable().describe('The registered model whose weights its run started from; null: the preset’s own weights'),
  createdAt: z.string(),
});
export type Model = z.infer<typeof modelSchema>;

/** PATCH /api/models/:id: promote or retire a model (one production version per name: promoting archives the previous one). */
export const changeModelStageSchema = z.object({ stage: z.enum(MODEL_STAGES) }).strict();
export type ChangeModelStage = z.infer<typeof changeModelStageSchema>;

/**
 * The drawings of an evaluation's worst slice: `truth` (green) and `prediction` (red) tinted over the
 * slice, `gradcam` the evaluated model's Grad-CAM; `overlay` is truth and prediction in one drawing, all
 * that evaluations made before they were drawn apart hold.
 */
export const EVALUATION_IMAGE_KINDS = ['truth', 'prediction', 'gradcam', 'overlay'] as const;
export type EvaluationImageKind = (typeof EVALUATION_IMAGE_KINDS)[number];

/** One worst slice of an evaluation: the slice (null in evaluations older than this record), its dice and the sha256 of each drawing it has. */
export const evaluationOverlaySchema = z.object({
  sliceId: z.string().nullable(),
  dice: z.number().nullable(),
  images: z.object({ truth: z.string().optional(), prediction: z.string().optional(), gradcam: z.string().optional(), overlay: z.string().optional() }),
});
export type EvaluationOverlay = z.infer<typeof evaluationOverlaySchema>;

/** GET /api/evaluations/:id/overlays/:index?kind= */
export const evaluationOverlayQuerySchema = z.object({ kind: z.enum(EVALUATION_IMAGE_KINDS).default('prediction') }).strict();
export type EvaluationOverlayQuery = z.infer<typeof evaluationOverlayQuerySchema>;

/** GET /api/evaluations/:id */
export const evaluationSchema = z.object({
  id: z.uuid(),
  modelId: z.uuid(),
  releaseId: z.uuid(),
  split: z.enum(SPLIT_NAMES),
  status: z.enum(JOB_STATUSES),
  /** The trainer's report: segmentation and classification metrics with 95% intervals, patient-level results. */
  report: z.record(z.string(), z.unknown()).nullable(),
  /** Per slice: dice, iou, covid probability, … (the trainer's slices.csv). */
  slices: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  /** The worst pixel-supervised slices by dice, worst first, with their drawings (GET /api/evaluations/:id/overlays/:index?kind=). */
  overlays: z.array(evaluationOverlaySchema),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

/** POST /api/models/:id/evaluate */
export const evaluateModelSchema = z
  .object({ releaseId: z.uuid().optional(), split: z.enum(SPLIT_NAMES).default('test') })
  .strict();
export type EvaluateModel = z.infer<typeof evaluateModelSchema>;

/** POST /api/models/:id/predict: a catalog selection, as a release takes one. */
export const predictSchema = z.object({ selection: sliceSelectionSchema, gradcam: z.boolean().default(true) }).strict();
export type PredictRequest = z.infer<typeof predictSchema>;

export const predictionBatchSchema = z.object({
  id: z.uuid(),
  modelId: z.uuid(),
  selection: sliceSelectionSchema,
  status: z.enum(JOB_STATUSES),
  slices: z.number().int(),
  drafts: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type PredictionBatch = z.infer<typeof predictionBatchSchema>;

/** One slice's outputs of a prediction batch: its draft revision, Grad-CAM blob and uncertainty. */
export const slicePredictionSchema = z.object({
  sliceId: z.uuid(),
  revisionId: z.uuid().nullable(),
  covidProbability: z.number().nullable(),
  uncertainty: z.number().nullable(),
  gradcamSha256: z.string().nullable(),
});
export type SlicePrediction = z.infer<typeof slicePredictionSchema>;

/** GET /api/predictions/:id: the batch with the outputs of the slices done so far. */
export const predictionBatchDetailSchema = predictionBatchSchema.extend({ outputs: z.array(slicePredictionSchema) });
export type PredictionBatchDetail = z.infer<typeof predictionBatchDetailSchema>;

/** What the SSE stream of GET /api/runs/:id/events sends (the event name is the `type`). */
export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('metrics'), metrics: z.array(runMetricSchema) }),
  z.object({ type: z.literal('run'), run: runSchema }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;

/** GET /api/slices/:id/suggestion: the newest model draft of a slice with its prediction outputs. */
export const sliceSuggestionSchema = z.object({
  revisionId: z.uuid(),
  /** `model:<name>:v<version>` */
  author: z.string(),
  rle: cocoRleSchema,
  area: z.number().int(),
  covidProbability: z.number().nullable(),
  uncertainty: z.number().nullable(),
  /** Served as a PNG by GET /api/slices/:id/suggestion/gradcam. */
  hasGradcam: z.boolean(),
});
export type SliceSuggestion = z.infer<typeof sliceSuggestionSchema>;

/** GET /api/work-queue/next: the slice an annotator should mask next (null: none left). */
export const workQueueNextSchema = z.object({ sliceId: z.uuid().nullable(), uncertainty: z.number().nullable() });
export type WorkQueueNext = z.infer<typeof workQueueNextSchema>;
