/**
 * Gaps between two inputs longer than this are not editing: the annotator left, or is doing
 * something else. Pointer moves over the slice count as input, so someone studying the image while
 * aiming keeps the clock going; 20 s without a single move, key or wheel turn is not annotation work.
 * Shorter cut-offs (5 s) dropped the pauses people take to look before a stroke; longer ones
 * (60 s) counted phone calls.
 */
export const IDLE_CUTOFF_SECONDS = 20;

/**
 * Active editing time of one slice: the time between inputs made while the editor has focus, each
 * gap counted only when it is at most the idle cut-off. Times are milliseconds from any monotonic
 * clock (performance.now()).
 */
export class ActiveTime {
  private last: number | null = null;
  private seconds = 0;

  constructor(private readonly idleCutoffSeconds = IDLE_CUTOFF_SECONDS) {}

  /** An input (pointer, key, wheel) at `now`, counted only while the editor `focused`. */
  input(now: number, focused: boolean): void {
    if (!focused) {
      this.last = null;
      return;
    }
    if (this.last !== null) {
      const gap = (now - this.last) / 1000;
      if (gap > 0 && gap <= this.idleCutoffSeconds) this.seconds += gap;
    }
    this.last = now;
  }

  /** The editor lost focus: the next input starts a new stretch. */
  pause(): void {
    this.last = null;
  }

  /** The seconds counted since the last take, and starts counting again from zero. */
  take(): number {
    const seconds = this.seconds;
    this.seconds = 0;
    return seconds;
  }

  /** Another slice: what was counted belongs to no save. */
  reset(): void {
    this.seconds = 0;
    this.last = null;
  }
}
