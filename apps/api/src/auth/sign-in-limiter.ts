/** One client address may try this many times the per-e-mail limit (a team behind one NAT signs in together). */
const ADDRESS_FACTOR = 5;

/**
 * Fixed one-minute windows of sign-in attempts, counted per e-mail and per client address (so
 * neither one address guessing many accounts nor many addresses guessing one account gets far).
 * Per process: with several API replicas the effective limit is the sum.
 */
export class SignInLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one attempt; returns the seconds to wait when over a limit, else 0. */
  attempt(address: string, email: string, now = Date.now()): number {
    if (this.windows.size > 100_000) this.forgetOld(now);
    return Math.max(this.count(`email:${email}`, this.limit, now), this.count(`address:${address}`, this.limit * ADDRESS_FACTOR, now));
  }

  private count(key: string, limit: number, now: number): number {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count > limit ? Math.ceil((window.start + this.windowMs - now) / 1000) : 0;
  }

  private forgetOld(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
