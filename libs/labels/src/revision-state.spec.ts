import { nextRevisionState, ReviewTransitionError } from './revision-state';

describe('nextRevisionState', () => {
  it('follows draft → submitted → approved or rejected', () => {
    expect(nextRevisionState('draft', 'submit')).toBe('submitted');
    expect(nextRevisionState('submitted', 'approve')).toBe('approved');
    expect(nextRevisionState('submitted', 'reject')).toBe('rejected');
  });

  it('refuses every other move with a message naming it', () => {
    expect(() => nextRevisionState('draft', 'approve')).toThrow(new ReviewTransitionError('draft', 'approve'));
    expect(() => nextRevisionState('approved', 'reject')).toThrow('An approved revision cannot be rejected');
    expect(() => nextRevisionState('rejected', 'submit')).toThrow('A rejected revision cannot be submitted');
  });
});
