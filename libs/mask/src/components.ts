import { BinaryMask } from './binary-mask';
import type { RleMask } from './coco-rle';

export interface BoundingBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MaskComponent {
  /** The value of this component's pixels in `labels` (or of its runs in `RunComponents.label`). */
  label: number;
  area: number;
  boundingBox: BoundingBox;
}

export interface ComponentLabeling {
  /** Row-major like the mask: 0 for background, otherwise the label of the pixel's component. */
  labels: Int32Array;
  /** Ordered by each component's first pixel in row-major order; labels are 1, 2, 3, ... */
  components: MaskComponent[];
}

/**
 * Runs of foreground pixels along lines (rows, or columns), added line by line and in order within
 * a line, with a union-find that joins each run to the runs of the line before that touch it,
 * diagonals included (8-connectivity).
 */
class Runs {
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  line = new Int32Array(1024);
  parent = new Int32Array(1024);
  count = 0;
  private currentLine = -2;
  private currentFirst = 0;
  private previousFirst = 0;
  private previousEnd = 0;
  private above = 0;

  /** A run of positions [start, end) on `line`; touching runs of one line must come as one. */
  add(line: number, start: number, end: number): void {
    if (line !== this.currentLine) {
      const follows = line === this.currentLine + 1;
      this.previousFirst = follows ? this.currentFirst : this.count;
      this.previousEnd = this.count;
      this.currentFirst = this.count;
      this.currentLine = line;
      this.above = this.previousFirst;
    }
    if (this.count === this.start.length) this.grow();
    const r = this.count++;
    this.start[r] = start;
    this.end[r] = end;
    this.line[r] = line;
    this.parent[r] = r;
    // a run of the line before touches positions start - 1 .. end (end exclusive)
    while (this.above < this.previousEnd && this.end[this.above] < start) this.above++;
    for (let q = this.above; q < this.previousEnd && this.start[q] <= end; q++) this.union(r, q);
  }

  /**
   * Labels 1, 2, ... in the order of each component's first run, with its area and its extent
   * (lines and positions, both inclusive).
   */
  label(): { labels: Int32Array; areas: number[]; extents: Array<{ minLine: number; maxLine: number; minPosition: number; maxPosition: number }> } {
    const labels = new Int32Array(this.count);
    const areas: number[] = [];
    const extents: Array<{ minLine: number; maxLine: number; minPosition: number; maxPosition: number }> = [];
    for (let r = 0; r < this.count; r++) {
      const root = this.find(r);
      // The root is the component's first run, so it is labelled before any other run of it.
      let label = labels[root];
      if (label === 0) {
        label = areas.length + 1;
        areas.push(0);
        extents.push({ minLine: this.line[r], maxLine: this.line[r], minPosition: this.start[r], maxPosition: this.end[r] - 1 });
      }
      labels[r] = label;
      areas[label - 1] += this.end[r] - this.start[r];
      const extent = extents[label - 1];
      if (this.start[r] < extent.minPosition) extent.minPosition = this.start[r];
      if (this.end[r] - 1 > extent.maxPosition) extent.maxPosition = this.end[r] - 1;
      if (this.line[r] > extent.maxLine) extent.maxLine = this.line[r];
    }
    return { labels, areas, extents };
  }

  private find(r: number): number {
    while (this.parent[r] !== r) {
      this.parent[r] = this.parent[this.parent[r]];
      r = this.parent[r];
    }
    return r;
  }

  /** The smaller root wins, so a component's root is its first run. */
  private union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }

  private grow(): void {
    const size = this.start.length * 2;
    for (const key of ['start', 'end', 'line', 'parent'] as const) {
      const bigger = new Int32Array(size);
      bigger.set(this[key]);
      this[key] = bigger;
    }
  }
}

/**
 * 8-connected components, by runs: each row's runs of foreground pixels are joined (union-find) to
 * the runs of the row above that touch them, diagonals included; a second pass over the runs gives
 * labels, areas and boxes. Work grows with the number of runs, not of pixels, and nothing recurses.
 */
export function connectedComponents(mask: BinaryMask): ComponentLabeling {
  const { width, height, data } = mask;
  const runs = new Runs();
  for (let y = 0; y < height; y++) {
    const offset = y * width;
    let x = 0;
    while (x < width) {
      if (data[offset + x] === 0) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && data[offset + x] !== 0) x++;
      runs.add(y, start, x);
    }
  }
  const { labels: runLabels, areas, extents } = runs.label();
  const labels = new Int32Array(data.length);
  for (let r = 0; r < runs.count; r++) labels.fill(runLabels[r], runs.line[r] * width + runs.start[r], runs.line[r] * width + runs.end[r]);
  const components = areas.map((area, i) => {
    const { minLine, maxLine, minPosition, maxPosition } = extents[i];
    return { label: i + 1, area, boundingBox: { x: minPosition, y: minLine, width: maxPosition - minPosition + 1, height: maxLine - minLine + 1 } };
  });
  return { labels, components };
}

/** The foreground of an RLE mask as vertical runs, each with the label of its component. */
export interface RunComponents {
  /** Run r covers rows [top[r], bottom[r]) of column column[r]; runs are in COCO (column-major) order. */
  count: number;
  column: Int32Array;
  top: Int32Array;
  bottom: Int32Array;
  label: Int32Array;
  /** As connectedComponents gives them for the decoded mask: same order, labels, areas and boxes. */
  components: MaskComponent[];
}

/**
 * connectedComponents of an RLE mask without decoding it: COCO counts already are the vertical runs
 * of the foreground, so the union-find runs over columns (8-connectivity is the same either way) and
 * the components are then put in row-major order of their first pixel. Work grows with the number of
 * runs only.
 */
export function rleComponents(mask: RleMask): RunComponents {
  const { height, counts } = mask;
  const runs = new ColumnRuns(height);
  let position = 0;
  for (let i = 0; i < counts.length; i++) {
    if (i % 2 === 1) runs.addPixels(position, position + counts[i]);
    position += counts[i];
  }
  runs.flush();
  const { labels: columnLabels, areas, extents } = runs.label();

  // A component's first pixel in row-major order is the top of its run with the smallest (top, column).
  const first = extents.map(() => ({ top: Infinity, column: Infinity }));
  for (let r = 0; r < runs.count; r++) {
    const f = first[columnLabels[r] - 1];
    if (runs.start[r] < f.top || (runs.start[r] === f.top && runs.line[r] < f.column)) {
      f.top = runs.start[r];
      f.column = runs.line[r];
    }
  }
  const order = areas.map((_, i) => i).sort((a, b) => first[a].top - first[b].top || first[a].column - first[b].column);
  const relabel = new Int32Array(areas.length + 1);
  order.forEach((i, rank) => (relabel[i + 1] = rank + 1));
  const label = new Int32Array(runs.count);
  for (let r = 0; r < runs.count; r++) label[r] = relabel[columnLabels[r]];
  const components = order.map((i, rank) => {
    const { minLine, maxLine, minPosition, maxPosition } = extents[i];
    return { label: rank + 1, area: areas[i], boundingBox: { x: minLine, y: minPosition, width: maxLine - minLine + 1, height: maxPosition - minPosition + 1 } };
  });
  return { count: runs.count, column: runs.line.subarray(0, runs.count), top: runs.start.subarray(0, runs.count), bottom: runs.end.subarray(0, runs.count), label, components };
}

/**
 * Column-major foreground pixels cut into whole-column runs. A run is held back until the next one
 * starts elsewhere: an empty background count between two foreground counts makes them one run.
 */
class ColumnRuns extends Runs {
  private pending = { column: -1, top: 0, bottom: 0 };

  constructor(private readonly height: number) {
    super();
  }

  addPixels(from: number, to: number): void {
    for (let position = from; position < to; ) {
      const column = Math.floor(position / this.height);
      const top = position - column * this.height;
      const bottom = Math.min(this.height, top + to - position);
      if (column === this.pending.column && top === this.pending.bottom) {
        this.pending.bottom = bottom;
      } else {
        this.flush();
        this.pending = { column, top, bottom };
      }
      position += bottom - top;
    }
  }

  flush(): void {
    if (this.pending.column >= 0) this.add(this.pending.column, this.pending.top, this.pending.bottom);
    this.pending = { column: -1, top: 0, bottom: 0 };
  }
}
