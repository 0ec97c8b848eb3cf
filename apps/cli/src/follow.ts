import { Presets, SingleBar } from 'cli-progress';

export interface FollowOptions<T> {
  /** The current state of the job. */
  poll: () => Promise<T>;
  ended: (value: T) => boolean;
  /** The bar's position, total and fields (named in `format`) for a state. */
  progress: (value: T) => { value: number; total: number; fields: Record<string, string | number> };
  /** A cli-progress format, e.g. 'training [{bar}] {value}/{total} steps | {status}'. */
  format: string;
  /** No bar (--json: machine output only). */
  quiet: boolean;
  intervalMs?: number;
}

/** Polls a job until it ends, drawing a progress bar on stderr (unless quiet); answers its last state. */
export async function follow<T>(options: FollowOptions<T>): Promise<T> {
  const bar = options.quiet ? null : new SingleBar({ format: options.format, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  try {
    for (;;) {
      const value = await options.poll();
      const { value: position, total, fields } = options.progress(value);
      if (!started) bar?.start(Math.max(total, 1), 0, fields);
      started = true;
      bar?.setTotal(Math.max(total, 1));
      bar?.update(Math.min(position, Math.max(total, 1)), fields);
      if (options.ended(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    }
  } finally {
    bar?.stop();
  }
}
