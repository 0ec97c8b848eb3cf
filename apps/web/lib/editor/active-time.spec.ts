import { ActiveTime } from './active-time';

describe('ActiveTime', () => {
  it('adds the gaps between inputs while focused', () => {
    const time = new ActiveTime(20);
    for (const t of [0, 1000, 3500, 4000]) time.input(t, true);
    expect(time.take()).toBe(4);
    expect(time.take()).toBe(0);
  });

  it('cuts gaps longer than the idle cut-off, and counts on from the input after one', () => {
    const time = new ActiveTime(20);
    time.input(0, true);
    time.input(5000, true);
    time.input(5000 + 20_001, true);
    time.input(5000 + 20_001 + 2000, true);
    expect(time.take()).toBe(7);
  });

  it('counts nothing while the editor is not focused, and restarts after a pause', () => {
    const time = new ActiveTime(20);
    time.input(0, true);
    time.input(2000, false);
    time.input(3000, true);
    time.input(4000, true);
    time.pause();
    time.input(9000, true);
    time.input(9500, true);
    expect(time.take()).toBe(1.5);
  });

  it('forgets what it counted on reset', () => {
    const time = new ActiveTime(20);
    time.input(0, true);
    time.input(3000, true);
    time.reset();
    time.input(10_000, true);
    expect(time.take()).toBe(0);
  });
});
