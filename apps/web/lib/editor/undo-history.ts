import { Rect, writeRect } from './rect';

/** One edit: the pixels of its rectangle before and after. */
export interface RegionDiff {
  readonly rect: Rect;
  readonly before: Uint8Array;
  readonly after: Uint8Array;
}

export const DEFAULT_UNDO_STEPS = 200;

/** Undo/redo over region diffs (with whatever `D` adds to each): memory grows with the area each edit touched, not with the mask size. */
export class UndoHistory<D extends RegionDiff = RegionDiff> {
  private readonly done: D[] = [];
  private readonly undone: D[] = [];

  constructor(private readonly limit = DEFAULT_UNDO_STEPS) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** The edit undo would take back next. */
  get last(): D | undefined {
    return this.done.at(-1);
  }

  /** Records a new edit; the oldest is dropped (and returned) past the limit, and anything undone can no longer be redone. */
  push(diff: D): D | undefined {
    this.done.push(diff);
    this.undone.length = 0;
    return this.done.length > this.limit ? this.done.shift() : undefined;
  }

  /** Restores the pixels before the last edit into `data`; returns the rectangle changed, or null. */
  undo(data: Uint8Array, imageWidth: number): Rect | null {
    const diff = this.done.pop();
    if (!diff) return null;
    writeRect(data, imageWidth, diff.rect, diff.before);
    this.undone.push(diff);
    return diff.rect;
  }

  redo(data: Uint8Array, imageWidth: number): Rect | null {
    const diff = this.undone.pop();
    if (!diff) return null;
    writeRect(data, imageWidth, diff.rect, diff.after);
    this.done.push(diff);
    return diff.rect;
  }

  /** Bytes held by the stored diffs. */
  get retainedBytes(): number {
    let bytes = 0;
    for (const diff of [...this.done, ...this.undone]) bytes += diff.before.byteLength + diff.after.byteLength;
    return bytes;
  }
}
