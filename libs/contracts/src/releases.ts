import { z } from 'zod';
import { PATIENT_LABELS, SUPERVISION_KINDS } from './catalog';

export const SPLIT_NAMES = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
export const STRATIFY_KEYS = ['patient-label', 'supervision', 'lesion-burden'] as const;
export const LABEL_POLICIES = ['accepted', 'latest-submitted'] as const;

/** Which slices a release takes: every filter narrows; none means the whole catalog. */
export const sliceSelectionSchema = z
  .object({
    collections: z.array(z.string().min(1)).optional(),
    cohorts: z.array(z.enum(PATIENT_LABELS)).optional(),
    supervision: z.array(z.enum(SUPERVISION_KINDS)).optional(),
    importIds: z.array(z.uuid()).optional(),
    patientIds: z.array(z.uuid()).optional(),
  })
  .strict();
export type SliceSelection = z.infer<typeof sliceSelectionSchema>;

/** POST /api/releases */
export const createReleaseSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/, 'letters, digits, space, ".", "_" or "-", up to 80'),
    description: z.string().max(2000).default(''),
    selection: sliceSelectionSchema.default({}),
    ratios: z
      .object({ train: z.number().min(0), val: z.number().min(0), test: z.number().min(0) })
      .refine((r) => r.train + r.val + r.test > 0, 'the ratios must not all be zero')
      .default({ train: 70, val: 10, test: 20 }),
    seed: z.string().min(1).max(200).default('lesionlab'),
    stratifyBy: z.array(z.enum(STRATIFY_KEYS)).default(['patient-label', 'supervision']),
    labelPolicy: z.enum(LABEL_POLICIES).default('accepted'),
    /** Patients (by id) forced into a split: a frozen test set carried from one version to the next. */
    pinned: z.object({ train: z.array(z.uuid()), val: z.array(z.uuid()), test: z.array(z.uuid()) }).partial().default({}),
    /**
     * Near-duplicate slices (perceptual hash) of different patients are always detected and reported;
     * with this on, their patients are also forced into one split (which can pull whole groups of
     * look-alike scans together, so it is asked for, not assumed).
     */
    keepNearDuplicatesTogether: z.boolean().default(false),
  })
  .strict();
export type CreateRelease = z.infer<typeof createReleaseSchema>;

const countsBySupervision = z.record(z.enum(SUPERVISION_KINDS), z.number().int());

export const releaseSummarySchema = z.object({
  slices: z.number().int(),
  patients: z.number().int(),
  /** Slices whose patient is not known: each is a group of its own. */
  unknownPatientSlices: z.number().int(),
  splits: z.record(
    z.enum(SPLIT_NAMES),
    z.object({
      patients: z.number().int(),
      slices: z.number().int(),
      slicesBySupervision: countsBySupervision,
      patientsByLabel: z.record(z.enum(PATIENT_LABELS), z.number().int()),
      /** Masked slices per lesion-burden bucket (share of the slice covered by lesion). */
      lesionBurden: z.record(z.string(), z.number().int()),
    }),
  ),
  /** Links between near-duplicate slices of different patients (identical hashes are chained). */
  nearDuplicates: z.object({
    pairs: z.number().int(),
    crossSplitPairs: z.number().int(),
    examples: z.array(z.object({ a: z.uuid(), b: z.uuid(), distance: z.number().int(), splits: z.tuple([z.enum(SPLIT_NAMES), z.enum(SPLIT_NAMES)]) })),
  }),
});
export type ReleaseSummary = z.infer<typeof releaseSummarySchema>;

export const releaseSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.number().int(),
  /** `covid-cs v2` */
  title: z.string(),
  description: z.string(),
  status: z.enum(['building', 'ready', 'failed']),
  params: createReleaseSchema,
  digest: z.string().nullable(),
  summary: releaseSummarySchema.nullable(),
  error: z.string().nullable(),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Release = z.infer<typeof releaseSchema>;

/** GET /api/releases: the newest first. */
export const releaseListSchema = z.object({ items: z.array(releaseSchema) });

export const EXPORT_FORMATS = ['coco', 'png', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** POST /api/releases/:id/exports */
export const exportRequestSchema = z.object({ format: z.enum(EXPORT_FORMATS) }).strict();

export const exportedFileSchema = z.object({ path: z.string(), sha256: z.string(), size: z.number().int() });
export type ExportedFile = z.infer<typeof exportedFileSchema>;

/** One export of a release in one format; GET /api/releases/:id/exports/:format/archive downloads it once built. */
export const releaseExportSchema = z.object({
  format: z.enum(EXPORT_FORMATS),
  status: z.string(),
  files: z.array(exportedFileSchema),
  archiveKey: z.string().nullable(),
  /** sha256 of the .tar.gz archive, to check a download against. */
  archiveSha256: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ReleaseExport = z.infer<typeof releaseExportSchema>;

/** GET /api/releases/:id/diff?to= */
export const releaseDiffQuerySchema = z.object({ to: z.uuid() });

const labelling = z.object({ supervision: z.string(), label: z.string() });

/** What changed from one release to another: slices, patients, split moves, masks (with Dice), labels. */
export const releaseDiffSchema = z.object({
  from: z.uuid(),
  to: z.uuid(),
  slices: z.object({ added: z.number().int(), removed: z.number().int(), kept: z.number().int(), addedIds: z.array(z.string()), removedIds: z.array(z.string()) }),
  patients: z.object({ added: z.number().int(), removed: z.number().int(), addedIds: z.array(z.string()), removedIds: z.array(z.string()) }),
  movedPatients: z.array(z.object({ patientId: z.string(), from: z.string(), to: z.string() })),
  changedMasks: z.array(z.object({ sliceId: z.string(), fromRevision: z.string().nullable(), toRevision: z.string().nullable(), dice: z.number() })),
  changedLabels: z.array(z.object({ sliceId: z.string(), from: labelling, to: labelling })),
});
export type ReleaseDiff = z.infer<typeof releaseDiffSchema>;

/**
 * One line of a release manifest (JSON lines). The same format is defined as JSON Schema in
 * libs/contracts/schemas/release-manifest.schema.json, which the trainer validates against.
 */
export interface ReleaseManifestItem {
  slice_id: string;
  patient_id: string | null;
  split: SplitName;
  supervision: (typeof SUPERVISION_KINDS)[number];
  label: (typeof PATIENT_LABELS)[number];
  image: string;
  image_sha256: string;
  mask: string | null;
  mask_sha256: string | null;
  mask_revision_id: string | null;
  width: number;
  height: number;
  slice_index: number | null;
  source: string;
}
