import { smoothEma } from './smoothing';

describe('smoothEma', () => {
  it('leaves the curve as it is at weight 0', () => {
    expect(smoothEma([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
  });

  it('starts at the first value (debiased) and follows a step change with exponential lag', () => {
    const smoothed = smoothEma([10, 10, 0, 0, 0], 0.5);
    expect(smoothed[0]).toBeCloseTo(10);
    expect(smoothed[1]).toBeCloseTo(10);
    // average after 3 values: 0.5*(0.5*5+5)+0 = 3.75, bias 1-0.125 → 4.2857
    expect(smoothed[2]).toBeCloseTo(3.75 / 0.875);
    expect(smoothed[4]).toBeLessThan(smoothed[3]);
    expect(smoothed[4]).toBeGreaterThan(0);
  });

  it('keeps a constant curve constant at any weight', () => {
    for (const weight of [0.1, 0.6, 0.99]) for (const value of smoothEma(Array(50).fill(2.5), weight)) expect(value).toBeCloseTo(2.5);
  });

  it('passes NaN through without poisoning the later values', () => {
    const smoothed = smoothEma([1, Number.NaN, 1], 0.9);
    expect(smoothed[1]).toBeNaN();
    expect(smoothed[2]).toBeCloseTo(1);
  });

  it('refuses a weight outside [0, 1)', () => {
    expect(() => smoothEma([1], 1)).toThrow('smoothing weight must be in [0, 1), got 1');
    expect(() => smoothEma([1], -0.1)).toThrow(RangeError);
  });
});
