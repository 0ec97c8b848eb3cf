import type { CocoRle, MaskOriginClaim } from '@lesionlab/contracts';

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
  /** The draft this mask started from, until a save carrying it is acknowledged (then the line continues on the server). */
  origin?: MaskOriginClaim;
  /** Active editing seconds not yet acknowledged by the server. */
  activeSeconds?: number;
}

/**
 * Where one user's pending masks wait for the server: IndexedDB in the browser, memory in unit tests.
 * A browser may be shared (a reading-room workstation), so each store sees only the masks of the user
 * it was opened for: one user's unsaved draft is never offered to another.
 */
export interface PendingMaskStore {
  get(sliceId: string): Promise<PendingMask | undefined>;
  put(entry: PendingMask): Promise<void>;
  delete(sliceId: string): Promise<void>;
  list(): Promise<PendingMask[]>;
}

/** A pending mask as the browser keeps it: with the user it belongs to. */
export interface OwnedPendingMask extends PendingMask {
  owner: string;
}

export function withoutOwner({ owner: _owner, ...entry }: OwnedPendingMask): PendingMask {
  return entry;
}

export class MemoryPendingMaskStore implements PendingMaskStore {
  /** `records` plays the browser's storage: stores of several owners may share it. */
  constructor(
    private readonly owner = '',
    private readonly records = new Map<string, OwnedPendingMask>(),
  ) {}

  async get(sliceId: string): Promise<PendingMask | undefined> {
    const entry = this.records.get(this.key(sliceId));
    return entry && structuredClone(withoutOwner(entry));
  }

  async put(entry: PendingMask): Promise<void> {
    this.records.set(this.key(entry.sliceId), structuredClone({ ...entry, owner: this.owner }));
  }

  async delete(sliceId: string): Promise<void> {
    this.records.delete(this.key(sliceId));
  }

  async list(): Promise<PendingMask[]> {
    return [...this.records.values()].filter((entry) => entry.owner === this.owner).map((entry) => structuredClone(withoutOwner(entry)));
  }

  private key(sliceId: string): string {
    return JSON.stringify([this.owner, sliceId]);
  }
}
