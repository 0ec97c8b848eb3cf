import { BinaryMask, createEmptyMask } from '@lesionlab/mask';
import { EMPTY_RECT, isEmptyRect, readRect, Rect, unionRect } from './rect';
import { DEFAULT_UNDO_STEPS, UndoHistory } from './undo-history';

/**
 * The mask being edited with its undo history. An edit (a whole brush stroke, one fill, a clear) runs
 * between beginEdit and endEdit; tools write straight into `mask.data` and report the rectangles they
 * touched, and endEdit keeps only that region's before/after pixels.
 */
export class MaskDocument {
  readonly mask: BinaryMask;
  private readonly history: UndoHistory;
  private readonly before: Uint8Array;
  private editRect: Rect | null = null;
  /** Increases with every change, so observers can tell whether the mask changed since they looked. */
  version = 0;

  constructor(width: number, height: number, undoSteps = DEFAULT_UNDO_STEPS) {
    this.mask = createEmptyMask(width, height);
    this.before = new Uint8Array(width * height);
    this.history = new UndoHistory(undoSteps);
  }

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  get historyBytes(): number {
    return this.history.retainedBytes;
  }

  get editing(): boolean {
    return this.editRect !== null;
  }

  beginEdit(): void {
    if (this.editRect) this.endEdit();
    this.before.set(this.mask.data);
    this.editRect = EMPTY_RECT;
  }

  /** Notes a rectangle a tool wrote into during the current edit. */
  touched(rect: Rect): Rect {
    if (this.editRect) this.editRect = unionRect(this.editRect, rect);
    return rect;
  }

  /** Ends the edit; records it when a pixel changed. Returns the rectangle that changed, or null. */
  endEdit(): Rect | null {
    const rect = this.editRect;
    this.editRect = null;
    if (!rect || isEmptyRect(rect)) return null;
    const before = readRect(this.before, this.mask.width, rect);
    const after = readRect(this.mask.data, this.mask.width, rect);
    if (sameBytes(before, after)) return null;
    this.history.push({ rect, before, after });
    this.version++;
    return rect;
  }

  /** Runs a one-shot tool as a single edit. */
  apply(tool: (mask: BinaryMask) => Rect): Rect | null {
    this.beginEdit();
    this.touched(tool(this.mask));
    return this.endEdit();
  }

  /** Replaces every pixel (loading a revision, taking theirs, merging) as one undoable edit. */
  replaceAll(data: Uint8Array): Rect | null {
    return this.apply((mask) => {
      mask.data.set(data);
      return { x: 0, y: 0, width: mask.width, height: mask.height };
    });
  }

  undo(): Rect | null {
    if (this.editRect) this.endEdit();
    const rect = this.history.undo(this.mask.data, this.mask.width);
    if (rect) this.version++;
    return rect;
  }

  redo(): Rect | null {
    if (this.editRect) this.endEdit();
    const rect = this.history.redo(this.mask.data, this.mask.width);
    if (rect) this.version++;
    return rect;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The bounding rectangle of the foreground (what clearing touches). */
export function foregroundRect(mask: BinaryMask): Rect {
  let rect = EMPTY_RECT;
  const { width, height, data } = mask;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (data[row + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) rect = unionRect(rect, { x: first, y, width: last - first + 1, height: 1 });
  }
  return rect;
}

/** The clear tool: empties the mask. */
export function clearMask(mask: BinaryMask): Rect {
  const rect = foregroundRect(mask);
  mask.data.fill(0);
  return rect;
}
