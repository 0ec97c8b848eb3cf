import type {
  ApiToken,
  AuditRecord,
  Evaluation,
  ImportRun,
  LabelRevision,
  MaskFacts,
  MaskRevision,
  Model,
  PredictionBatch,
  Principal,
  Release,
  ReleaseDiff,
  ReleaseExport,
  Run,
  RunArtifact,
  RunMetric,
  SliceDetail,
  SliceSummary,
  User,
} from '@lesionlab/contracts';

/**
 * Example values of the API's answers, shown in the OpenAPI document. They are typed by the
 * contracts (a changed field breaks the build) and openapi.spec.ts validates each one against its
 * generated JSON Schema.
 */
export const ID = {
  slice: '5b0f6a2e-3c1d-4e8f-9a7b-1c2d3e4f5a6b',
  nextSlice: '6c1a7b3f-4d2e-4f9a-8b8c-2d3e4f5a6b7c',
  patient: '0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b',
  scan: '1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
  import: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
  revision: '3b4c5d6e-7f8a-4b9c-8d0e-2f3a4b5c6d7e',
  draft: '0d1e2f3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a',
  release: '4c5d6e7f-8a9b-4c0d-9e1f-3a4b5c6d7e8f',
  nextRelease: '5d6e7f8a-9b0c-4d1e-8f2a-4b5c6d7e8f9a',
  run: '6e7f8a9b-0c1d-4e2f-9a3b-5c6d7e8f9a0b',
  model: '7f8a9b0c-1d2e-4f3a-8b4c-6d7e8f9a0b1c',
  evaluation: '8a9b0c1d-2e3f-4a4b-9c5d-7e8f9a0b1c2d',
  prediction: '9b0c1d2e-3f4a-4b5c-8d6e-8f9a0b1c2d3e',
  user: 'a0c1d2e3-4f5a-4b6c-9d7e-9a0b1c2d3e4f',
  token: 'b1d2e3f4-5a6b-4c7d-8e8f-0a1b2c3d4e5f',
  artifact: 'c2e3f4a5-6b7c-4d8e-9f9a-1b2c3d4e5f6a',
} as const;

const SHA256 = 'a3f1c2d4e5b6a7980c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b';
const AT = '2026-11-20T09:30:00.000Z';
const LATER = '2026-11-20T09:42:10.000Z';

export const userExample: User = { id: ID.user, email: 'ana@hospital.example', role: 'annotator', disabled: false, createdAt: AT };
export const principalExample: Principal = { id: ID.user, email: 'ana@hospital.example', role: 'annotator', via: 'api-token' };
export const apiTokenExample: ApiToken = { id: ID.token, name: 'laptop CLI', createdAt: AT, expiresAt: '2027-11-20T09:30:00.000Z', lastUsedAt: LATER, revokedAt: null };

export const auditRecordExample: AuditRecord = {
  id: 1042,
  at: AT,
  actor: 'dm@hospital.example',
  actorRole: 'data-manager',
  action: 'POST /api/releases',
  ids: { created: ID.release },
  status: 202,
  ip: '10.0.4.17',
  userAgent: 'lesionlab-cli/0.1.0',
  requestId: 'req-7f3a9c',
};

export const sliceDetailExample: SliceDetail = {
  id: ID.slice,
  patientId: ID.patient,
  patientExternalId: 'P0042',
  collection: 'covid-cs',
  scanId: ID.scan,
  sliceIndex: 57,
  width: 512,
  height: 512,
  bitDepth: 16,
  pixelRepresentation: 1,
  rescaleSlope: 1,
  rescaleIntercept: -1024,
  defaultWindow: { center: -600, width: 1500 },
  pixelSpacingMm: [0.74, 0.74],
  cohort: 'covid',
  supervision: 'pixel',
  sourceName: 'P0042/slice_057.nii.gz',
  importId: ID.import,
  pixelsUrl: `http://localhost:3000/api/slices/${ID.slice}/pixels`,
  thumbnailUrl: `http://localhost:3000/api/slices/${ID.slice}/thumbnail`,
  previousSliceId: null,
  nextSliceId: ID.nextSlice,
  createdAt: AT,
};

export const sliceSummaryExample: SliceSummary = {
  id: ID.slice,
  patientId: ID.patient,
  patientExternalId: 'P0042',
  sliceIndex: 57,
  width: 512,
  height: 512,
  cohort: 'covid',
  supervision: 'pixel',
  thumbnailUrl: sliceDetailExample.thumbnailUrl,
  reviewState: 'approved',
  lesionAreaPx: 3120,
  lesionAreaMm2: 1708.6,
};

export const importRunExample: ImportRun = {
  id: ID.import,
  format: 'covid-cs',
  source: 'path:/data/imports/covid-cs',
  options: { maskThreshold: 1 },
  status: 'succeeded',
  found: 1200,
  imported: 1198,
  duplicates: 1,
  failed: 1,
  masks: 310,
  failures: [{ file: 'P0107/slice_003.jpg', reason: 'not a JPEG or PNG image' }],
  timings: { readMs: 5120, decodeMs: 14210 },
  error: null,
  jobId: '17',
  createdAt: AT,
  startedAt: AT,
  finishedAt: LATER,
};

const RLE = { size: [512, 512] as [number, number], counts: 'PRg31O0O2N1O100N2M3L5K5J7I6J5L4' };

export const maskFactsExample: MaskFacts = {
  revisionId: ID.revision,
  lesionCount: 1,
  speckCount: 0,
  minLesionPx: 20,
  areaPx: 3120,
  areaMm2: 1708.6,
  lungFieldKnown: true,
  lesions: [{ areaPx: 3120, areaMm2: 1708.6, boundingBox: { x: 301, y: 188, width: 64, height: 71 }, centroid: { x: 332.4, y: 224.9 }, location: { side: 'left', third: 'middle' } }],
};

export const maskRevisionExample: MaskRevision = {
  revisionId: ID.revision,
  sliceId: ID.slice,
  class: 'opacification',
  rle: RLE,
  author: 'ana@hospital.example',
  source: 'human',
  parentId: null,
  state: 'submitted',
  reviewComment: null,
  area: 3120,
  createdAt: AT,
  reviewedBy: null,
  facts: maskFactsExample,
  warnings: [],
  origin: { kind: 'suggestion', model: 'model:jcs:v3', revisionId: ID.revision },
  edit: { draftAreaPx: 2980, pixelsAdded: 212, pixelsRemoved: 72, dice: 0.952 },
  activeSeconds: 41.5,
};

export const labelRevisionExample: LabelRevision = {
  revisionId: ID.revision,
  subject: 'patient',
  subjectId: ID.patient,
  value: 'covid',
  author: 'ana@hospital.example',
  source: 'human',
  parentId: null,
  state: 'submitted',
  reviewComment: null,
  reviewedBy: null,
  conflictWith: null,
  createdAt: AT,
};

export const releaseExample: Release = {
  id: ID.release,
  name: 'covid-cs',
  version: 2,
  title: 'covid-cs v2',
  description: 'Adds the November annotations',
  status: 'ready',
  params: {
    name: 'covid-cs',
    description: 'Adds the November annotations',
    selection: { collections: ['covid-cs'] },
    ratios: { train: 70, val: 10, test: 20 },
    seed: 'lesionlab',
    stratifyBy: ['patient-label', 'supervision'],
    labelPolicy: 'accepted',
    pinned: {},
    keepNearDuplicatesTogether: false,
  },
  digest: SHA256,
  summary: {
    slices: 1198,
    patients: 40,
    unknownPatientSlices: 0,
    splits: {
      train: { patients: 28, slices: 842, slicesBySupervision: { pixel: 220, patient: 402, negative: 220, none: 0 }, patientsByLabel: { covid: 20, negative: 8, unknown: 0 }, lesionBurden: { '0-1%': 90, '1-5%': 100, '>5%': 30 } },
      val: { patients: 4, slices: 116, slicesBySupervision: { pixel: 30, patient: 56, negative: 30, none: 0 }, patientsByLabel: { covid: 3, negative: 1, unknown: 0 }, lesionBurden: { '0-1%': 12, '1-5%': 14, '>5%': 4 } },
      test: { patients: 8, slices: 240, slicesBySupervision: { pixel: 60, patient: 120, negative: 60, none: 0 }, patientsByLabel: { covid: 6, negative: 2, unknown: 0 }, lesionBurden: { '0-1%': 25, '1-5%': 27, '>5%': 8 } },
    },
    nearDuplicates: { pairs: 3, crossSplitPairs: 0, examples: [] },
  },
  error: null,
  jobId: '23',
  createdAt: AT,
  finishedAt: LATER,
};

export const releaseExportExample: ReleaseExport = {
  format: 'coco',
  status: 'succeeded',
  files: [{ path: 'annotations/train.json', sha256: SHA256, size: 48213 }],
  archiveKey: `exports/${ID.release}/coco.tar.gz`,
  archiveSha256: SHA256,
  error: null,
  createdAt: AT,
  finishedAt: LATER,
};

export const releaseDiffExample: ReleaseDiff = {
  from: ID.release,
  to: ID.nextRelease,
  slices: { added: 12, removed: 0, kept: 1198, addedIds: [ID.nextSlice], removedIds: [] },
  patients: { added: 1, removed: 0, addedIds: [ID.patient], removedIds: [] },
  movedPatients: [],
  changedMasks: [{ sliceId: ID.slice, fromRevision: ID.revision, toRevision: ID.revision, dice: 0.91 }],
  changedLabels: [],
};

export const runExample: Run = {
  id: ID.run,
  releaseId: ID.release,
  config: { releaseId: ID.release, model: 'jcs-lite', steps: 2000, batchSize: 16, gpus: 1, settings: { lr: 0.001 } },
  status: 'running',
  device: 'cuda',
  workerHost: 'gpu-worker-1',
  gpus: '0',
  progress: { step: 640, totalSteps: 2000, epoch: 1.2, imagesPerS: 166.4, etaS: 131, loss: 0.412 },
  resumedFromStep: null,
  error: null,
  logTail: ['step 640/2000 loss 0.412'],
  modelId: null,
  createdAt: AT,
  startedAt: AT,
  finishedAt: null,
};

export const runMetricExample: RunMetric = { id: 311, step: 600, epoch: 1.1, name: 'dice', value: 0.71, split: 'val' };
export const runArtifactExample: RunArtifact = { id: ID.artifact, kind: 'checkpoint', name: 'step-600.pt', sha256: SHA256, size: 31457280, step: 600, createdAt: LATER };

export const modelExample: Model = {
  id: ID.model,
  name: 'jcs-lite',
  version: 3,
  runId: ID.run,
  releaseId: ID.release,
  architecture: 'jcs-lite',
  sha256: SHA256,
  metrics: { 'val/dice': 0.74, 'val/auc': 0.93 },
  stage: 'candidate',
  evaluations: [{ id: ID.evaluation, split: 'test', status: 'succeeded' }],
  initModelId: null,
  createdAt: LATER,
};

export const evaluationExample: Evaluation = {
  id: ID.evaluation,
  modelId: ID.model,
  releaseId: ID.release,
  split: 'test',
  status: 'succeeded',
  report: { dice: { mean: 0.73, ci95: [0.7, 0.76] } },
  slices: [{ slice_id: ID.slice, dice: 0.81, covid_probability: 0.97 }],
  overlays: [{ sliceId: ID.slice, dice: 0.12, images: { truth: SHA256, prediction: SHA256, gradcam: SHA256 } }],
  error: null,
  createdAt: AT,
  finishedAt: LATER,
};

export const predictionBatchExample: PredictionBatch = {
  id: ID.prediction,
  modelId: ID.model,
  selection: { collections: ['covid-cs'], supervision: ['patient'] },
  status: 'running',
  slices: 402,
  drafts: 120,
  error: null,
  createdAt: AT,
  finishedAt: null,
};
