import { BinaryMask, maskArea } from './binary-mask';

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

/**
 * 8-connected components. Flood fill with an explicit stack (no recursion), so one component
 * can span a whole 1024x1024 mask; each foreground pixel is pushed once, when it gets its label.
 */
export function connectedComponents(mask: BinaryMask): ComponentLabeling {
  const { width, height, data } = mask;
  const labels = new Int32Array(data.length);
  const stack = new Int32Array(maskArea(mask));
  const components: MaskComponent[] = [];

  for (let seed = 0; seed < data.length; seed++) {
    if (data[seed] === 0 || labels[seed] !== 0) continue;
    const label = components.length + 1;
    let area = 0;
    let minX = width;
    let minY = height;
    let maxX = -1;
    let maxY = -1;
    let top = 0;
    labels[seed] = label;
    stack[top++] = seed;
    while (top > 0) {
      const index = stack[--top];
      const y = (index / width) | 0;
      const x = index - y * width;
      area++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const y0 = y > 0 ? y - 1 : 0;
      const y1 = y < height - 1 ? y + 1 : y;
      const x0 = x > 0 ? x - 1 : 0;
      const x1 = x < width - 1 ? x + 1 : x;
      for (let ny = y0; ny <= y1; ny++) {
        for (let neighbour = ny * width + x0, end = ny * width + x1; neighbour <= end; neighbour++) {
          if (data[neighbour] !== 0 && labels[neighbour] === 0) {
            labels[neighbour] = label;
            stack[top++] = neighbour;
          }
        }
      }
    }
    components.push({ label, area, boundingBox: { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 } });
  }
  return { labels, components };
}
