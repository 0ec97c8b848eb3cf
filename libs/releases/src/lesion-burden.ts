/** Buckets of the share of a slice covered by lesion, for stratification and the summary's histograms. */
export const BURDEN_BUCKETS = ['none', '<1%', '1-5%', '5-15%', '>15%'] as const;
export type BurdenBucket = (typeof BURDEN_BUCKETS)[number];

export function burdenBucket(area: number, width: number, height: number): BurdenBucket {
  const share = area / (width * height);
  if (share <= 0) return 'none';
  if (share < 0.01) return '<1%';
  if (share < 0.05) return '1-5%';
  if (share < 0.15) return '5-15%';
  return '>15%';
}

/** The heavier of two buckets. */
export function heavier(a: BurdenBucket, b: BurdenBucket): BurdenBucket {
  return BURDEN_BUCKETS.indexOf(a) >= BURDEN_BUCKETS.indexOf(b) ? a : b;
}
