import { Rect, writeRect } from './rect';

/** One edit: the pixels of its rectangle before and after. */
export interface RegionDiff {
  readonly rect: Rect;
  readonly before: Uint8Array;
  readonly after: Uint8Array;
}

export const DEFAULT_UNDO_STEPS = 200;

/** Undo/redo over region diffs: memory grows with the area each edit touched, not with the mask size. */
export class UndoHistory {
  private readonly done: RegionDiff[] = [];
  private readonly undone: RegionDiff[] = [];

  constructor(private readonly limit = DEFAULT_UNDO_STEPS) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Records a new edit; the oldest is dropped past the limit and anything undone can no longer be redone. */
  push(diff: RegionDiff): void {
    this.done.push(diff);
    if (this.done.length > this.limit) this.done.shift();
    this.undone.length = 0;
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
