import { BinaryMask } from './binary-mask';

export interface BoundingBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MaskComponent {
  /** The value of this component's pixels in `labels`. */
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

/** Horizontal runs of foreground pixels, row by row, with a union-find over them. */
class Runs {
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  row = new Int32Array(1024);
  parent = new Int32Array(1024);
  count = 0;

  add(start: number, end: number, row: number): number {
    if (this.count === this.start.length) this.grow();
    const r = this.count++;
    this.start[r] = start;
    this.end[r] = end;
    this.row[r] = row;
    this.parent[r] = r;
    return r;
  }

  find(r: number): number {
    while (this.parent[r] !== r) {
      this.parent[r] = this.parent[this.parent[r]];
      r = this.parent[r];
    }
    return r;
  }

  /** The smaller root wins, so a component's root is its first run in row-major order. */
  union(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }

  private grow(): void {
    const size = this.start.length * 2;
    for (const key of ['start', 'end', 'row', 'parent'] as const) {
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
  let previousFirst = 0;
  let previousEnd = 0;
  for (let y = 0; y < height; y++) {
    const rowFirst = runs.count;
    const offset = y * width;
    let above = previousFirst;
    let x = 0;
    while (x < width) {
      if (data[offset + x] === 0) {
        x++;
        continue;
      }
      const start = x;
      while (x < width && data[offset + x] !== 0) x++;
      const r = runs.add(start, x, y);
      // a run above touches [start - 1, x] (end exclusive: columns start-1 .. x)
      while (above < previousEnd && runs.end[above] < start) above++;
      for (let q = above; q < previousEnd && runs.start[q] <= x; q++) runs.union(r, q);
    }
    previousFirst = rowFirst;
    previousEnd = runs.count;
  }

  const labels = new Int32Array(data.length);
  const components: MaskComponent[] = [];
  const labelOfRoot = new Int32Array(runs.count);
  const boxes: Array<{ minX: number; minY: number; maxX: number; maxY: number }> = [];
  for (let r = 0; r < runs.count; r++) {
    const root = runs.find(r);
    let label = labelOfRoot[root];
    if (label === 0) {
      label = components.length + 1;
      labelOfRoot[root] = label;
      components.push({ label, area: 0, boundingBox: { x: 0, y: 0, width: 0, height: 0 } });
      boxes.push({ minX: width, minY: runs.row[r], maxX: -1, maxY: runs.row[r] });
    }
    const [start, end, row] = [runs.start[r], runs.end[r], runs.row[r]];
    labels.fill(label, row * width + start, row * width + end);
    components[label - 1].area += end - start;
    const box = boxes[label - 1];
    if (start < box.minX) box.minX = start;
    if (end - 1 > box.maxX) box.maxX = end - 1;
    if (row > box.maxY) box.maxY = row;
  }
  for (const [i, box] of boxes.entries()) {
    components[i].boundingBox = { x: box.minX, y: box.minY, width: box.maxX - box.minX + 1, height: box.maxY - box.minY + 1 };
  }
  return { labels, components };
}
