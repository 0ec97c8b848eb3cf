import { SPLIT_NAMES, type RunMetric, type SplitName } from '@lesionlab/contracts';

export interface MetricPoint {
  step: number;
  value: number;
}

/** One metric of a run over steps, e.g. val/dice. */
export interface MetricLine {
  split: SplitName;
  points: MetricPoint[];
}

/** A quantity (one metric name) with its train, val and test lines: what one chart shows. */
export interface Quantity {
  name: string;
  unit: string;
  lines: MetricLine[];
}

const FRACTIONS = /(^|[/_])(dice|iou|auc|accuracy|sensitivity|specificity|precision|recall)(_|$)/;

/** What a metric is measured in, for its axis: scores are fractions of 1, throughput in images/s. */
export function unitOf(name: string): string {
  if (name === 'images_per_s') return 'images/s';
  if (FRACTIONS.test(name)) return 'fraction';
  if (name === 'lr') return 'learning rate';
  return '';
}

/** Losses may be drawn on a log axis. */
export const isLoss = (name: string): boolean => /(^|[/_])loss(_|$)/.test(name);

/**
 * A run's stepped metrics as one quantity per name, in the order they first appear, each with one line
 * per split (train, val, test), points sorted by step. A step reported twice (a run resumed from a
 * checkpoint) keeps its last value; metrics without a step or a value are not plotted.
 *
 * A recipe run counts steps from 1 again in each stage: given `stageSteps` (the stages' step counts),
 * a metric whose step is not past the previous one of its line starts the next stage, and its
 * step is placed after the earlier stages' steps, so stages follow each other on one axis.
 */
export function quantitiesOf(metrics: readonly RunMetric[], stageSteps: readonly number[] = []): Quantity[] {
  const offsets = stageOffsets(stageSteps);
  const byName = new Map<string, Map<SplitName, Map<number, number>>>();
  const position = new Map<string, { stage: number; last: number }>();
  for (const m of [...metrics].sort((a, b) => a.id - b.id)) {
    if (m.step === null || m.value === null || !Number.isFinite(m.value)) continue;
    let step = m.step;
    if (offsets.length > 1) {
      const key = `${m.split}/${m.name}`;
      const at = position.get(key) ?? { stage: 0, last: 0 };
      if (at.last > 0 && m.step <= at.last && at.stage < offsets.length - 1) at.stage += 1;
      at.last = m.step;
      position.set(key, at);
      step = offsets[at.stage] + m.step;
    }
    const splits = byName.get(m.name) ?? new Map<SplitName, Map<number, number>>();
    byName.set(m.name, splits);
    const steps = splits.get(m.split) ?? new Map<number, number>();
    splits.set(m.split, steps);
    steps.set(step, m.value);
  }
  return [...byName].map(([name, splits]) => ({
    name,
    unit: unitOf(name),
    lines: SPLIT_NAMES.filter((split) => splits.has(split)).map((split) => ({
      split,
      points: [...splits.get(split)!].sort(([a], [b]) => a - b).map(([step, value]) => ({ step, value })),
    })),
  }));
}

/** Where each stage starts on the run's step axis: 0, then the running sum of the stages' steps. */
export function stageOffsets(stageSteps: readonly number[]): number[] {
  return stageSteps.map((_, i) => stageSteps.slice(0, i).reduce((sum, steps) => sum + steps, 0));
}

/** Where a quantity's chart goes: losses first, then scores, then the rest, throughput last. */
function rank(name: string): number {
  if (isLoss(name)) return 0;
  if (unitOf(name) === 'fraction') return 1;
  return name === 'images_per_s' ? 3 : 2;
}

/** The names of the quantities of several runs, each once: losses, scores, others, throughput; within each, in the order they first appear. */
export function quantityNames(runs: ReadonlyArray<readonly Quantity[]>): string[] {
  const names = [...new Set(runs.flatMap((quantities) => quantities.map((q) => q.name)))];
  return names.map((name, i) => ({ name, i })).sort((a, b) => rank(a.name) - rank(b.name) || a.i - b.i).map((n) => n.name);
}

/** Final scores without a step (the evaluation of the finished model), as `split/name → value`. */
export function finalScores(metrics: readonly RunMetric[]): Array<{ split: SplitName; name: string; value: number | null }> {
  const last = new Map<string, { split: SplitName; name: string; value: number | null }>();
  for (const m of metrics) if (m.step === null) last.set(`${m.split}/${m.name}`, { split: m.split, name: m.name, value: m.value });
  return [...last.values()];
}
