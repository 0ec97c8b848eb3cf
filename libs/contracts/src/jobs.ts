import { z } from 'zod';
import { EXPORT_FORMATS } from './releases';

/** Queues group jobs by the kind of machine that should run them (GPU jobs have their own). */
export const QUEUE_NAMES = ['system', 'import', 'labels', 'releases', 'train', 'evaluate', 'predict'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const pingJobPayload = z.object({ sentAt: z.iso.datetime() });
export type PingJobPayload = z.infer<typeof pingJobPayload>;
export const pingJobResult = z.object({ sentAt: z.string(), answeredAt: z.string(), worker: z.string() });
export type PingJobResult = z.infer<typeof pingJobResult>;

/** Deletes objects under blobs/ that no `blobs` row records and that are older than the grace period. */
export const sweepOrphansJobPayload = z.object({ graceSeconds: z.number().int().min(0).default(24 * 3600) });
export type SweepOrphansJobPayload = z.infer<typeof sweepOrphansJobPayload>;

/** Runs one import (its source, format and options are on the import's row). */
export const catalogImportJobPayload = z.object({ importId: z.uuid() });
export type CatalogImportJobPayload = z.infer<typeof catalogImportJobPayload>;

/** Builds one release (its parameters are on the release's row). */
export const buildReleaseJobPayload = z.object({ releaseId: z.uuid() });
export type BuildReleasePayload = z.infer<typeof buildReleaseJobPayload>;

/** Exports a ready release in one format. */
export const exportReleaseJobPayload = z.object({ releaseId: z.uuid(), format: z.enum(EXPORT_FORMATS) });
export type ExportReleasePayload = z.infer<typeof exportReleaseJobPayload>;

/** Trains one run (its release and config are on the run's row). */
export const trainRunJobPayload = z.object({ runId: z.uuid() });
/** Evaluates one model on one release split (an evaluation row). */
export const evaluateModelJobPayload = z.object({ evaluationId: z.uuid() });
/** Predicts a selection's slices with one model (a prediction-batch row). */
export const predictSlicesJobPayload = z.object({ batchId: z.uuid() });

export interface JobDefinition {
  queue: QueueName;
  payload: z.ZodType;
}

/**
 * Every job the platform knows. The worker refuses to start unless each name here has exactly one
 * handler, and producers can only enqueue names listed here, with payloads that pass the schema.
 */
export const JOB_CATALOG = {
  'system.ping': { queue: 'system', payload: pingJobPayload },
  'storage.sweep-orphans': { queue: 'system', payload: sweepOrphansJobPayload },
  'catalog.import': { queue: 'import', payload: catalogImportJobPayload },
  'releases.build': { queue: 'releases', payload: buildReleaseJobPayload },
  'releases.export': { queue: 'releases', payload: exportReleaseJobPayload },
  'training.train': { queue: 'train', payload: trainRunJobPayload },
  'training.evaluate': { queue: 'evaluate', payload: evaluateModelJobPayload },
  'training.predict': { queue: 'predict', payload: predictSlicesJobPayload },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOB_CATALOG;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_CATALOG)[N]['payload']>;

export const jobStateSchema = z.object({
  id: z.string(),
  name: z.string(),
  queue: z.string(),
  state: z.enum(['waiting', 'delayed', 'active', 'completed', 'failed', 'unknown']),
  progress: z.unknown(),
  attemptsMade: z.number(),
  failedReason: z.string().nullable(),
  result: z.unknown(),
  createdAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobState = z.infer<typeof jobStateSchema>;
