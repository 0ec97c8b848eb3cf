import type { CocoRle } from '@lesionlab/contracts';

/** A slice's mask as edited here and not yet acknowledged by the server. */
export interface PendingMask {
  sliceId: string;
  /** The revision the edits start from (sent as If-Match); null when the slice had no mask. */
  baseRevisionId: string | null;
  rle: CocoRle;
  state: 'draft' | 'submitted';
  /** Increases with each local change, so an acknowledged save removes only the state it carried. */
  seq: number;
  updatedAt: string;
}

/** Where pending masks wait for the server: IndexedDB in the browser, memory in unit tests. */
export interface PendingMaskStore {
  get(sliceId: string): Promise<PendingMask | undefined>;
  put(entry: PendingMask): Promise<void>;
  delete(sliceId: string): Promise<void>;
  list(): Promise<PendingMask[]>;
}

export class MemoryPendingMaskStore implements PendingMaskStore {
  private readonly entries = new Map<string, PendingMask>();

  async get(sliceId: string): Promise<PendingMask | undefined> {
    const entry = this.entries.get(sliceId);
    return entry && structuredClone(entry);
  }

  async put(entry: PendingMask): Promise<void> {
    this.entries.set(entry.sliceId, structuredClone(entry));
  }

  async delete(sliceId: string): Promise<void> {
    this.entries.delete(sliceId);
  }

  async list(): Promise<PendingMask[]> {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }
}
