import { z } from 'zod';
import type { CocoRle } from './masks';
import { SPLIT_NAMES, sliceSelectionSchema } from './releases';
import { runSettingsSchema } from './run-settings';

/** The trainer's model presets (apps/trainer: lesionlab_trainer.models.registry). */
export const TRAINER_MODELS = ['jcs', 'jcs-seg', 'jcs-cls', 'jcs-lite', 'jcs-seg-lite', 'jcs-cls-lite'] as const;
export type TrainerModel = (typeof TRAINER_MODELS)[number];
/** Models small enough to train on a worker without a GPU (how CI runs the whole loop). */
export const CPU_MODELS: readonly TrainerModel[] = ['jcs-lite', 'jcs-seg-lite', 'jcs-cls-lite'];

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** POST /api/runs */
export const createRunSchema = z
  .object({
    releaseId: z.uuid(),
    model: z.enum(TRAINER_MODELS).default('jcs'),
    epochs: z.number().positive().max(10_000).optional(),
    steps: z.number().int().min(1).optional(),
    batchSize: z.number().int().min(1).max(1024).optional(),
    imageSize: z.number().int().min(32).max(2048).multipleOf(32).optional(),
    /** GPUs of one worker; more than one runs the trainer under torchrun. */
    gpus: z.number().int().min(1).max(16).default(1),
    settings: runSettingsSchema.default({}),
  })
  .strict();
export type CreateRun = z.infer<typeof createRunSchema>;

export interface RunProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  imagesPerS: number;
  etaS: number | null;
  loss: number | null;
}

export interface Run {
  id: string;
  releaseId: string;
  config: CreateRun;
  status: RunStatus;
  device: string | null;
  workerHost: string | null;
  gpus: string | null;
  progress: RunProgress | null;
  resumedFromStep: number | null;
  error: string | null;
  logTail: string[];
  modelId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunMetric {
  id: number;
  step: number | null;
  epoch: number | null;
  name: string;
  value: number | null;
  split: (typeof SPLIT_NAMES)[number];
}

export interface RunArtifact {
  id: string;
  kind: string;
  name: string;
  sha256: string;
  size: number;
  step: number | null;
  createdAt: string;
}

export const MODEL_STAGES = ['candidate', 'production', 'archived'] as const;

export interface Model {
  id: string;
  name: string;
  version: number;
  runId: string;
  releaseId: string;
  architecture: TrainerModel;
  sha256: string;
  metrics: Record<string, number | null>;
  stage: (typeof MODEL_STAGES)[number];
  evaluations: Array<{ id: string; split: string; status: JobStatus }>;
  createdAt: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Evaluation {
  id: string;
  modelId: string;
  releaseId: string;
  split: (typeof SPLIT_NAMES)[number];
  status: JobStatus;
  /** The trainer's report: segmentation and classification metrics with 95% intervals, patient-level results. */
  report: Record<string, unknown> | null;
  /** Per slice: dice, iou, covid probability, … (the trainer's slices.csv). */
  slices: Array<Record<string, string | number | null>>;
  /** Overlays of the worst slices (blob sha256 each). */
  overlays: string[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** POST /api/models/:id/evaluate */
export const evaluateModelSchema = z
  .object({ releaseId: z.uuid().optional(), split: z.enum(SPLIT_NAMES).default('test') })
  .strict();
export type EvaluateModel = z.infer<typeof evaluateModelSchema>;

/** POST /api/models/:id/predict: a catalog selection, as a release takes one. */
export const predictSchema = z.object({ selection: sliceSelectionSchema, gradcam: z.boolean().default(true) }).strict();
export type PredictRequest = z.infer<typeof predictSchema>;

export interface PredictionBatch {
  id: string;
  modelId: string;
  selection: PredictRequest['selection'];
  status: JobStatus;
  slices: number;
  drafts: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** What the SSE stream of GET /api/runs/:id/events sends. */
export type RunEvent = { type: 'metrics'; metrics: RunMetric[] } | { type: 'run'; run: Run };

/** GET /api/slices/:id/suggestion: the newest model draft of a slice with its prediction outputs. */
export interface SliceSuggestion {
  revisionId: string;
  /** `model:<name>:v<version>` */
  author: string;
  rle: CocoRle;
  area: number;
  covidProbability: number | null;
  uncertainty: number | null;
  /** Served as a PNG by GET /api/slices/:id/suggestion/gradcam. */
  hasGradcam: boolean;
}

/** GET /api/work-queue/next: the slice an annotator should mask next (null: none left). */
export interface WorkQueueNext {
  sliceId: string | null;
  uncertainty: number | null;
}
