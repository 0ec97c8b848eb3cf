import { SignInLimiter } from './sign-in-limiter';

describe('SignInLimiter', () => {
  it('allows `limit` attempts per e-mail a minute, then says how long to wait', () => {
    const limiter = new SignInLimiter(3);
    expect([0, 1, 2, 3].map(() => limiter.attempt('10.0.0.1', 'a@x', 1_000))).toEqual([0, 0, 0, 60]);
    expect(limiter.attempt('10.0.0.2', 'a@x', 31_000)).toBe(30);
    expect(limiter.attempt('10.0.0.1', 'b@x', 31_000)).toBe(0);
    expect(limiter.attempt('10.0.0.1', 'a@x', 61_000)).toBe(0);
  });

  it('allows one address five times the limit across e-mails', () => {
    const limiter = new SignInLimiter(2);
    const waits = Array.from({ length: 11 }, (_, i) => limiter.attempt('10.0.0.9', `user${i}@x`, 0));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits[10]).toBe(60);
  });
});
