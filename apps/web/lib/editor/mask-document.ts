import type { MaskOriginClaim } from '@lesionlab/contracts';
import { BinaryMask, createEmptyMask } from '@lesionlab/mask';
import { EMPTY_RECT, isEmptyRect, readRect, Rect, unionRect } from './rect';
import { DEFAULT_UNDO_STEPS, UndoHistory, type RegionDiff } from './undo-history';

/** The draft the mask's line started from, as a save claims it; null: the line of the revision the editor opened. */
export type LineOrigin = MaskOriginClaim | null;

/**
 * The mask being edited with its undo history. An edit (a whole brush stroke, one fill, a clear) runs
 * between beginEdit and endEdit; tools write straight into `mask.data` and report the rectangles they
 * touched, and endEdit keeps only that region's before/after pixels.
 *
 * Each edit also keeps the line origin after it: accepting a draft starts a line from it, other edits
 * continue the line they were made on, and undoing past an accept goes back to the line before it.
 */
export class MaskDocument {
  readonly mask: BinaryMask;
  private readonly history: UndoHistory<RegionDiff & { origin: LineOrigin }>;
  /** The origin before the oldest edit still in the history. */
  private baseOrigin: LineOrigin = null;
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

  /** The line origin of the mask as it is now. */
  get origin(): LineOrigin {
    const last = this.history.last;
    return last ? last.origin : this.baseOrigin;
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

  /** Ends the edit; records it (starting a line from `origin` when given) when a pixel changed. Returns the rectangle that changed, or null. */
  endEdit(origin?: MaskOriginClaim): Rect | null {
    const rect = this.editRect;
    this.editRect = null;
    if (!rect || isEmptyRect(rect)) return null;
    const before = readRect(this.before, this.mask.width, rect);
    const after = readRect(this.mask.data, this.mask.width, rect);
    if (sameBytes(before, after)) return null;
    const dropped = this.history.push({ rect, before, after, origin: origin ?? this.origin });
    if (dropped) this.baseOrigin = dropped.origin;
    this.version++;
    return rect;
  }

  /** Runs a one-shot tool as a single edit (an accepted draft passes the origin its line starts from). */
  apply(tool: (mask: BinaryMask) => Rect, origin?: MaskOriginClaim): Rect | null {
    this.beginEdit();
    this.touched(tool(this.mask));
    return this.endEdit(origin);
  }

  /** Replaces every pixel (loading a revision, taking theirs, merging) as one undoable edit. */
  replaceAll(data: Uint8Array, origin?: MaskOriginClaim): Rect | null {
    return this.apply((mask) => {
      mask.data.set(data);
      return { x: 0, y: 0, width: mask.width, height: mask.height };
    }, origin);
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
