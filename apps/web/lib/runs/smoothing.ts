/**
 * Exponential moving average of a curve, debiased like TensorBoard's smoothing so the start of the
 * curve is not pulled towards zero. `weight` 0 leaves the values as they are; 0.99 smooths hard.
 * Non-finite values (a NaN loss) are passed through and do not enter the average.
 */
export function smoothEma(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  let average = 0;
  let seen = 0;
  return values.map((value) => {
    if (!Number.isFinite(value)) return value;
    average = average * weight + (1 - weight) * value;
    seen += 1;
    return weight === 0 ? value : average / (1 - weight ** seen);
  });
}
