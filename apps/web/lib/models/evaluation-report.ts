import type { Evaluation } from '@lesionlab/contracts';

/** A score in [0, 1], or null where the trainer found it undefined (one class only, no positive pixel). */
export type Score = number | null;
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}
export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number | null;
}

/** What the evaluation page reads of the trainer's report (evaluation-report.schema.json). */
export interface ReportFacts {
  /** Mean per-slice Dice over the pixel-supervised slices (all segmentation slices when there are none) with its 95% bootstrap interval. */
  dice: { value: Score; ci95: [Score, Score]; slices: number } | null;
  classification: {
    sensitivity: Score;
    specificity: Score;
    auc: Score;
    aucCi95: [Score, Score];
    threshold: number;
    confusion: Confusion;
    roc: RocPoint[];
    slices: number;
    patient: { accuracy: Score; sensitivity: Score; specificity: Score; confusion: Confusion; rule: string };
  } | null;
  /** The model's input size: the lesion areas of the per-slice table are pixels at this size. */
  imageSize: number | null;
}

type Loose = Record<string, unknown>;
const object = (value: unknown): Loose | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : null);
const score = (value: unknown): Score => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const interval = (value: unknown): [Score, Score] => (Array.isArray(value) ? [score(value[0]), score(value[1])] : [null, null]);
const confusion = (value: unknown): Confusion => {
  const c = object(value) ?? {};
  return { tp: Number(c.tp ?? 0), fp: Number(c.fp ?? 0), fn: Number(c.fn ?? 0), tn: Number(c.tn ?? 0) };
};
const RULES: Record<string, (value: number, slice: number) => string> = {
  count: (v, t) => `COVID when more than ${v} slices score ≥ ${t}`,
  ratio: (v, t) => `COVID when more than ${(v * 100).toFixed(0)}% of slices score ≥ ${t}`,
  max: (v) => `COVID when the highest slice probability exceeds ${v}`,
};

/** The headline numbers, ROC curve and confusion matrices of a report; absent sections are null. */
export function reportFacts(report: Evaluation['report']): ReportFacts {
  const seg = object(report?.segmentation_lesion_slices) ?? object(report?.segmentation);
  const cls = object(report?.classification);
  const patient = object(cls?.patient);
  const rule = object(patient?.rule);
  return {
    dice: seg ? { value: score(seg.dice_mean), ci95: interval(seg.dice_mean_ci95), slices: Number(seg.slices ?? 0) } : null,
    classification:
      cls && patient
        ? {
            sensitivity: score(cls.sensitivity),
            specificity: score(cls.specificity),
            auc: score(cls.auc),
            aucCi95: interval(cls.auc_ci95),
            threshold: Number(cls.threshold ?? 0.5),
            confusion: confusion(cls.confusion),
            roc: Array.isArray(cls.roc) ? (cls.roc as RocPoint[]) : [],
            slices: Number(cls.slices ?? 0),
            patient: {
              accuracy: score(patient.accuracy),
              sensitivity: score(patient.sensitivity),
              specificity: score(patient.specificity),
              confusion: confusion(patient.confusion),
              rule: rule ? (RULES[String(rule.kind)]?.(Number(rule.value), Number(rule.slice_threshold)) ?? String(rule.kind)) : '',
            },
          }
        : null,
    imageSize: typeof report?.image_size === 'number' ? report.image_size : null,
  };
}

/** 0.734 → "0.734"; null → "–". */
export const formatScore = (value: Score, digits = 3): string => (value === null ? '–' : value.toFixed(digits));
