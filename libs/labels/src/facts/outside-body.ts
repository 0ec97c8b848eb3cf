import type { BinaryMask, RunComponents } from '@lesionlab/mask';

/** A body's background (value 0) as runs down each column: column x holds runs first[x] .. first[x + 1] - 1, run r rows [top[r], bottom[r]). */
interface BackgroundRuns {
  first: Int32Array;
  top: number[];
  bottom: number[];
}

/** Kept while their body is (LungFields caches a slice's lung field, body included). */
const backgroundRuns = new WeakMap<BinaryMask, BackgroundRuns>();

function backgroundRunsOf(body: BinaryMask): BackgroundRuns {
  const cached = backgroundRuns.get(body);
  if (cached) return cached;
  const { width, height, data } = body;
  const runs: BackgroundRuns = { first: new Int32Array(width + 1), top: [], bottom: [] };
  for (let x = 0; x < width; x++) {
    runs.first[x] = runs.top.length;
    for (let y = 0; y < height; ) {
      if (data[y * width + x] !== 0) {
        y++;
        continue;
      }
      runs.top.push(y);
      while (y < height && data[y * width + x] === 0) y++;
      runs.bottom.push(y);
    }
  }
  runs.first[width] = runs.top.length;
  backgroundRuns.set(body, runs);
  return runs;
}

/** How many pixels of a mask's vertical runs lie outside `body` (same size): run against run, no pixel visited. */
export function pixelsOutsideBody(runs: Pick<RunComponents, 'count' | 'column' | 'top' | 'bottom'>, body: BinaryMask): number {
  const background = backgroundRunsOf(body);
  let outside = 0;
  for (let r = 0; r < runs.count; r++) {
    const x = runs.column[r];
    for (let b = background.first[x]; b < background.first[x + 1]; b++) {
      const overlap = Math.min(runs.bottom[r], background.bottom[b]) - Math.max(runs.top[r], background.top[b]);
      if (overlap > 0) outside += overlap;
    }
  }
  return outside;
}
