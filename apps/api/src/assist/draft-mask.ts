import type { AssistPoint } from '@lesionlab/contracts';
import { maskFromData, type BinaryMask } from '@lesionlab/mask';
import { DomainError } from '@lesionlab/contracts';

/** A prompt the slice cannot hold (outside the image, empty box): the message names the problem. */
export class InvalidPromptError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}

export interface SliceSize {
  width: number;
  height: number;
}

/** Refuses a box outside the slice or without area, and points outside the slice. */
export function checkPrompt(box: readonly [number, number, number, number], points: readonly AssistPoint[], size: SliceSize): void {
  const [x0, y0, x1, y1] = box;
  const { width, height } = size;
  for (const [name, value, limit] of [['x0', x0, width], ['y0', y0, height], ['x1', x1, width], ['y1', y1, height]] as const) {
    if (!Number.isFinite(value)) throw new InvalidPromptError(`box ${name} is not a finite number`);
    if (value < 0 || value > limit) throw new InvalidPromptError(`box ${name}=${value} lies outside the ${width}x${height} image`);
  }
  if (x1 <= x0 || y1 <= y0) throw new InvalidPromptError(`box [${box.join(', ')}] has zero area: expected x0 < x1 and y0 < y1`);
  points.forEach(({ x, y }, i) => {
    if (!(x >= 0 && x <= width && y >= 0 && y <= height)) throw new InvalidPromptError(`point ${i} (${x}, ${y}) lies outside the ${width}x${height} image`);
  });
}

/** Slice pixels → the network's square frame of `side` pixels. */
export function toNetworkFrame(size: SliceSize, side: number) {
  const sx = side / size.width;
  const sy = side / size.height;
  return {
    box: ([x0, y0, x1, y1]: readonly number[]) => Float32Array.of(x0 * sx, y0 * sy, x1 * sx, y1 * sy),
    points: (points: readonly AssistPoint[]) => ({
      coords: Float32Array.from(points.flatMap(({ x, y }) => [x * sx, y * sy])),
      labels: Float32Array.from(points.map(({ positive }) => (positive ? 1 : 0))),
    }),
  };
}

/**
 * The draft at the slice's size: the side×side logits resized bilinearly (half-pixel centres, as
 * torch's interpolate with align_corners=False) and thresholded at 0, i.e. probability 0.5.
 */
export function logitsToMask(logits: Float32Array, side: number, size: SliceSize): BinaryMask {
  const { width, height } = size;
  const data = new Uint8Array(width * height);
  const columns = axisWeights(width, side);
  const rows = axisWeights(height, side);
  for (let y = 0; y < height; y++) {
    const r0 = rows.low[y] * side;
    const r1 = rows.high[y] * side;
    const wy = rows.weight[y];
    for (let x = 0; x < width; x++) {
      const c0 = columns.low[x];
      const c1 = columns.high[x];
      const wx = columns.weight[x];
      const top = logits[r0 + c0] + (logits[r0 + c1] - logits[r0 + c0]) * wx;
      const bottom = logits[r1 + c0] + (logits[r1 + c1] - logits[r1 + c0]) * wx;
      data[y * width + x] = top + (bottom - top) * wy > 0 ? 1 : 0;
    }
  }
  return maskFromData(width, height, data);
}

function axisWeights(outSize: number, inSize: number) {
  const low = new Int32Array(outSize);
  const high = new Int32Array(outSize);
  const weight = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const source = Math.max(0, (i + 0.5) * scale - 0.5);
    low[i] = Math.min(inSize - 1, Math.floor(source));
    high[i] = Math.min(inSize - 1, low[i] + 1);
    weight[i] = source - low[i];
  }
  return { low, high, weight };
}
