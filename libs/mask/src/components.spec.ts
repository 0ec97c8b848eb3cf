import fc from 'fast-check';
import { BinaryMask, maskArea } from './binary-mask';
import { encodeRleCounts } from './coco-rle';
import { connectedComponents, rleComponents } from './components';
import { arbitraryMask, maskFrom, maskFromRows } from './testing/arbitrary-mask';

/**
 * Reference labelling: every foreground pixel starts with its own id and repeatedly takes the smallest
 * id among its 8 neighbours until nothing changes; ids are then renumbered 1, 2, ... in row-major order.
 */
function naiveLabels(mask: BinaryMask): Int32Array {
  const { width, height, data } = mask;
  const ids = Int32Array.from(data, (value, index) => (value ? index + 1 : 0));
  for (let changed = true; changed; ) {
    changed = false;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const index = y * width + x;
        if (!ids[index]) continue;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            const ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
            const neighbour = ids[ny * width + nx];
            if (neighbour && neighbour < ids[index]) {
              ids[index] = neighbour;
              changed = true;
            }
          }
        }
      }
    }
  }
  const renumbered = new Map<number, number>();
  return ids.map((id) => {
    if (!id) return 0;
    if (!renumbered.has(id)) renumbered.set(id, renumbered.size + 1);
    return renumbered.get(id)!;
  });
}

describe('connectedComponents', () => {
  it('joins diagonal neighbours (8-connectivity) and reports area and bounding box', () => {
    const mask = maskFromRows([
      '#....##', //
      '.#...##',
      '..#....',
      '......#',
    ]);
    const { labels, components } = connectedComponents(mask);
    expect(components).toEqual([
      { label: 1, area: 3, boundingBox: { x: 0, y: 0, width: 3, height: 3 } },
      { label: 2, area: 4, boundingBox: { x: 5, y: 0, width: 2, height: 2 } },
      { label: 3, area: 1, boundingBox: { x: 6, y: 3, width: 1, height: 1 } },
    ]);
    expect(Array.from(labels.subarray(0, 7))).toEqual([1, 0, 0, 0, 0, 2, 2]);
    expect(labels[2 * 7 + 2]).toBe(1);
  });

  it('finds nothing in an empty mask', () => {
    expect(connectedComponents(maskFromRows(['...', '...'])).components).toEqual([]);
  });

  it('labels a full 1024x1024 mask as one component without overflowing the stack', () => {
    const { components } = connectedComponents(maskFrom(1024, 1024, () => true));
    expect(components).toEqual([{ label: 1, area: 1024 * 1024, boundingBox: { x: 0, y: 0, width: 1024, height: 1024 } }]);
  });

  it('follows a one-pixel-wide serpentine through a 1024x1024 mask as one component', () => {
    // Full rows on even y, joined alternately at the right and the left end: a single path of ~525k pixels.
    const snake = maskFrom(1024, 1024, (x, y) => y % 2 === 0 || (y % 4 === 1 ? x === 1023 : x === 0));
    const { components } = connectedComponents(snake);
    expect(components).toHaveLength(1);
    expect(components[0].area).toBe(maskArea(snake));
  });

  it('matches the reference labelling, with areas summing to the mask area and tight bounding boxes', () => {
    fc.assert(
      fc.property(arbitraryMask(24), (mask) => {
        const { labels, components } = connectedComponents(mask);
        expect(labels).toEqual(naiveLabels(mask));
        expect(components.reduce((sum, component) => sum + component.area, 0)).toBe(maskArea(mask));
        components.forEach((component, i) => {
          expect(component.label).toBe(i + 1);
          const xs: number[] = [];
          const ys: number[] = [];
          labels.forEach((label, index) => {
            if (label !== component.label) return;
            xs.push(index % mask.width);
            ys.push(Math.floor(index / mask.width));
          });
          expect(component.area).toBe(xs.length);
          expect(component.boundingBox).toEqual({
            x: Math.min(...xs),
            y: Math.min(...ys),
            width: Math.max(...xs) - Math.min(...xs) + 1,
            height: Math.max(...ys) - Math.min(...ys) + 1,
          });
        });
      }),
    );
  });
});

/** COCO counts of a mask with every foreground run of 2+ pixels cut in two by an empty background run. */
function countsWithEmptyRuns(mask: BinaryMask): number[] {
  return encodeRleCounts(mask).flatMap((count, i) => (i % 2 === 1 && count > 1 ? [1, 0, count - 1] : [count]));
}

describe('rleComponents', () => {
  it('joins foreground counts that an empty background count separates', () => {
    // 3x3, column-major: one pixel of background, then rows 1 and 2 of column 0 as two counts.
    expect(rleComponents({ width: 3, height: 3, counts: [1, 1, 0, 1, 6] }).components).toEqual([{ label: 1, area: 2, boundingBox: { x: 0, y: 1, width: 1, height: 2 } }]);
  });

  it('finds the components connectedComponents finds in the decoded mask, with runs covering exactly their pixels', () => {
    fc.assert(
      fc.property(arbitraryMask(24), fc.boolean(), (mask, cut) => {
        const { labels, components } = connectedComponents(mask);
        const counts = cut ? countsWithEmptyRuns(mask) : encodeRleCounts(mask);
        const runs = rleComponents({ width: mask.width, height: mask.height, counts });
        expect(runs.components).toEqual(components);
        const covered = new Int32Array(labels.length);
        for (let r = 0; r < runs.count; r++) {
          for (let y = runs.top[r]; y < runs.bottom[r]; y++) covered[y * mask.width + runs.column[r]] = runs.label[r];
        }
        expect(covered).toEqual(labels);
      }),
    );
  });
});

