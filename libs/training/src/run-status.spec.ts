import { assertRunTransition, isFinished } from './run-status';

describe('run status', () => {
  it('lets a run go from queued to running to a finished state, and back to queued to resume', () => {
    expect(() => assertRunTransition('queued', 'running')).not.toThrow();
    expect(() => assertRunTransition('running', 'queued')).not.toThrow();
    expect(() => assertRunTransition('running', 'succeeded')).not.toThrow();
  });

  it('never changes a finished run', () => {
    for (const finished of ['succeeded', 'failed', 'cancelled'] as const) {
      expect(isFinished(finished)).toBe(true);
      expect(() => assertRunTransition(finished, 'running')).toThrow(`A ${finished} run cannot become running`);
    }
    expect(isFinished('running')).toBe(false);
  });
});
