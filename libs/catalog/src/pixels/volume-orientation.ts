/**
 * How to lay a volume's (i, j) plane out on screen so an axial CT slice shows the usual way
 * (radiological convention: patient's anterior up, patient's right on the image's left).
 * `affine` maps voxel (i, j, k) to RAS+ world coordinates (x grows to the patient's left, y to the front).
 */
export interface SliceLayout {
  /** Image columns follow j (and rows follow i) instead of the other way round. */
  transpose: boolean;
  flipColumns: boolean;
  flipRows: boolean;
}

export function sliceLayout(affine: number[][]): SliceLayout {
  const iAxis = [affine[0][0], affine[1][0]];
  const jAxis = [affine[0][1], affine[1][1]];
  // The voxel axis that runs most along x becomes the columns.
  const transpose = Math.abs(jAxis[0]) > Math.abs(iAxis[0]);
  const columnAxis = transpose ? jAxis : iAxis;
  const rowAxis = transpose ? iAxis : jAxis;
  return {
    transpose,
    // Left to right on screen is the patient's right to left: +x.
    flipColumns: columnAxis[0] < 0,
    // Top to bottom on screen is anterior to posterior: -y.
    flipRows: rowAxis[1] > 0,
  };
}

/**
 * Copies slice k of a volume stored x-fastest (`get(i, j)` reads voxel i + j·nx) into row-major
 * screen order; returns the screen width and height.
 */
export function layOutSlice<T extends { length: number; [n: number]: number }>(
  nx: number,
  ny: number,
  layout: SliceLayout,
  get: (i: number, j: number) => number,
  out: T,
): { width: number; height: number } {
  const width = layout.transpose ? ny : nx;
  const height = layout.transpose ? nx : ny;
  for (let row = 0; row < height; row++) {
    const r = layout.flipRows ? height - 1 - row : row;
    for (let col = 0; col < width; col++) {
      const c = layout.flipColumns ? width - 1 - col : col;
      out[row * width + col] = layout.transpose ? get(r, c) : get(c, r);
    }
  }
  return { width, height };
}
