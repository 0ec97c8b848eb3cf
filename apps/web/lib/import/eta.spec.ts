import { formatBytes, secondsLeft } from './eta';

describe('secondsLeft', () => {
  it('extrapolates the average rate so far', () => {
    expect(secondsLeft(25, 100, 10_000)).toBe(30);
    expect(secondsLeft(100, 100, 10_000)).toBe(0);
  });

  it('says nothing before there is a rate', () => {
    expect(secondsLeft(0, 100, 10_000)).toBeNull();
    expect(secondsLeft(5, 100, 400)).toBeNull();
    expect(secondsLeft(5, 0, 10_000)).toBeNull();
  });
});

describe('formatBytes', () => {
  it('uses the unit a file browser would', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(4200)).toBe('4.2 KB');
    expect(formatBytes(7_300_000)).toBe('7.3 MB');
    expect(formatBytes(1_200_000_000)).toBe('1.20 GB');
  });
});
