import { assignGroupsToSplits } from './patient-split';

const patients = Array.from({ length: 100 }, (_, i) => `patient-${i}`);

describe('assignGroupsToSplits', () => {
  it('cuts at the ratios', () => {
    const counts = { train: 0, val: 0, test: 0 };
    for (const split of assignGroupsToSplits(patients, { train: 70, val: 10, test: 20 }, 'seed-1').values()) counts[split]++;
    expect(counts).toEqual({ train: 70, val: 10, test: 20 });
  });

  it('is deterministic for a seed and independent of input order', () => {
    const a = assignGroupsToSplits(patients, { train: 7, val: 1, test: 2 }, 's');
    const b = assignGroupsToSplits([...patients].reverse(), { train: 7, val: 1, test: 2 }, 's');
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
  });

  it('changes with the seed', () => {
    const a = assignGroupsToSplits(patients, { train: 7, val: 1, test: 2 }, 'one');
    const b = assignGroupsToSplits(patients, { train: 7, val: 1, test: 2 }, 'two');
    expect(patients.some((p) => a.get(p) !== b.get(p))).toBe(true);
  });

  it('refuses ratios that do not make sense', () => {
    expect(() => assignGroupsToSplits(patients, { train: 0, val: 0, test: 0 }, 's')).toThrow(RangeError);
    expect(() => assignGroupsToSplits(patients, { train: -1, val: 1, test: 1 }, 's')).toThrow(RangeError);
  });
});
