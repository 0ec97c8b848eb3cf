import { dice, type BinaryMask } from '@lesionlab/mask';
import type { Agreement } from '@lesionlab/contracts';

export interface AnnotatorMask {
  sliceId: string;
  class: string;
  author: string;
  mask: BinaryMask;
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;

/**
 * Dice between every two annotators' masks of the same slice and class, and per annotator pair the
 * number of shared slices, mean and minimum Dice. Pairs are named in alphabetical order (a < b).
 */
export function computeAgreement(masks: AnnotatorMask[]): Agreement {
  const bySlice = new Map<string, AnnotatorMask[]>();
  for (const m of masks) {
    const key = `${m.sliceId}\u0000${m.class}`;
    bySlice.set(key, [...(bySlice.get(key) ?? []), m]);
  }
  const slices: Agreement['slices'] = [];
  const totals = new Map<string, { a: string; b: string; sum: number; min: number; slices: number }>();
  for (const group of bySlice.values()) {
    const sorted = [...group].sort((x, y) => (x.author < y.author ? -1 : 1));
    const pairs: Agreement['slices'][number]['pairs'] = [];
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const score = dice(sorted[i].mask, sorted[j].mask);
        const [a, b] = [sorted[i].author, sorted[j].author];
        pairs.push({ a, b, dice: round(score) });
        const key = `${a}\u0000${b}`;
        const total = totals.get(key) ?? { a, b, sum: 0, min: 1, slices: 0 };
        total.sum += score;
        total.min = Math.min(total.min, score);
        total.slices++;
        totals.set(key, total);
      }
    }
    if (pairs.length > 0) slices.push({ sliceId: sorted[0].sliceId, class: sorted[0].class, pairs });
  }
  const pairs = [...totals.values()]
    .map((t) => ({ a: t.a, b: t.b, slices: t.slices, meanDice: round(t.sum / t.slices), minDice: round(t.min) }))
    .sort((x, y) => (x.a === y.a ? (x.b < y.b ? -1 : 1) : x.a < y.a ? -1 : 1));
  return { slices, pairs };
}
