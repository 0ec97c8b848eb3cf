import fc from 'fast-check';
import { apportion, assignSplits, type Split, type SplitGroup } from './patient-split';

const patients = (n: number, stratum = 's'): SplitGroup[] => Array.from({ length: n }, (_, i) => ({ id: `patient-${i}`, stratum }));

function counts(assignment: Map<string, Split>) {
  const c = { train: 0, val: 0, test: 0 };
  for (const split of assignment.values()) c[split]++;
  return c;
}

describe('apportion', () => {
  it('always sums to n and follows the ratios', () => {
    expect(apportion(10, { train: 70, val: 10, test: 20 })).toEqual({ train: 7, val: 1, test: 2 });
    expect(apportion(3, { train: 1, val: 1, test: 1 })).toEqual({ train: 1, val: 1, test: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 10 }), (n, a, b, c) => {
        const parts = apportion(n, { train: a, val: b, test: c });
        expect(parts.train + parts.val + parts.test).toBe(n);
        expect(Math.abs(parts.test - (n * c) / (a + b + c))).toBeLessThan(1);
      }),
    );
  });
});

describe('assignSplits', () => {
  it('cuts each stratum at the ratios', () => {
    const groups = [...patients(100, 'covid'), ...patients(50, 'negative').map((g) => ({ ...g, id: `n-${g.id}` }))];
    const assignment = assignSplits(groups, { train: 70, val: 10, test: 20 }, 'seed-1');
    expect(counts(assignment)).toEqual({ train: 105, val: 15, test: 30 });
    const negatives = new Map([...assignment].filter(([id]) => id.startsWith('n-')));
    expect(counts(negatives)).toEqual({ train: 35, val: 5, test: 10 });
  });

  it('is deterministic for a seed, independent of input order, and changes with the seed', () => {
    const forward = assignSplits(patients(60), { train: 7, val: 1, test: 2 }, 's');
    const backward = assignSplits(patients(60).reverse(), { train: 7, val: 1, test: 2 }, 's');
    expect([...forward].sort()).toEqual([...backward].sort());
    const other = assignSplits(patients(60), { train: 7, val: 1, test: 2 }, 'other');
    expect([...forward].some(([id, split]) => other.get(id) !== split)).toBe(true);
  });

  it('keeps pinned groups where they are pinned and counts them towards the ratios', () => {
    const pinned = new Map<string, Split>(Array.from({ length: 20 }, (_, i) => [`patient-${i}`, 'test']));
    const assignment = assignSplits(patients(100), { train: 70, val: 10, test: 20 }, 'seed', pinned);
    for (const [id, split] of pinned) expect(assignment.get(id)).toBe(split);
    expect(counts(assignment)).toEqual({ train: 70, val: 10, test: 20 });
  });

  it('gives every group exactly one split, for any groups, ratios and pins', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('a', 'b', 'c')), { selector: ([id]) => id, maxLength: 80 }),
        fc.tuple(fc.nat(5), fc.nat(5), fc.integer({ min: 1, max: 5 })),
        fc.string(),
        (specs, [train, val, test], seed) => {
          const groups = specs.map(([id, stratum]) => ({ id, stratum }));
          const pins = new Map<string, Split>(groups.filter((_, i) => i % 7 === 0).map((g) => [g.id, 'val']));
          const assignment = assignSplits(groups, { train, val, test }, seed, pins);
          expect(assignment.size).toBe(groups.length);
          for (const [id, split] of pins) expect(assignment.get(id)).toBe(split);
        },
      ),
    );
  });

  it('refuses ratios that do not make sense', () => {
    expect(() => assignSplits(patients(3), { train: 0, val: 0, test: 0 }, 's')).toThrow(RangeError);
    expect(() => assignSplits(patients(3), { train: -1, val: 1, test: 1 }, 's')).toThrow(RangeError);
  });
});
