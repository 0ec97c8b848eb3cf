import { DEFAULT_MASK_CLASS, MAX_ACTIVE_SECONDS_PER_SAVE, maskOriginClaimSchema, type CocoRle, type MaskOriginClaim, type MaskRevision } from '@lesionlab/contracts';
import { decodeCocoRle, encodeCocoRle, union } from '@lesionlab/mask';
import { TransientSaveError, type MaskApi } from './mask-api';
import type { PendingMask, PendingMaskStore } from './pending-mask-store';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'offline' | 'conflict' | 'refused';

export interface SliceSaveState {
  status: SaveStatus;
  /** The server revision the editor's mask builds on. */
  revisionId: string | null;
  /** Set while status is 'conflict': our unsent mask and the revision someone else saved. */
  conflict: { mine: PendingMask; theirs: MaskRevision } | null;
  detail: string | null;
}

export type ConflictChoice = 'keep-mine' | 'take-theirs' | 'merge';

/** Runs `task` after `ms`; returns a function that cancels it. */
export type Scheduler = (task: () => void, ms: number) => () => void;

export interface SaveQueueOptions {
  api: MaskApi;
  store: PendingMaskStore;
  onChange?: (sliceId: string, state: SliceSaveState) => void;
  /** A save was acknowledged: the revision as the server stored it (origin, edit statistics), when it answered with it. */
  onSaved?: (sliceId: string, revision: MaskRevision | null) => void;
  autosaveDelayMs?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  schedule?: Scheduler;
  now?: () => Date;
}

const defaultSchedule: Scheduler = (task, ms) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

/**
 * Keeps every local mask change in a PendingMaskStore until the server acknowledges it. A change is
 * written to the store at once, sent after autosaveDelayMs without further changes (or on flush:
 * Ctrl+S, navigation, back online), with If-Match on the revision it builds on. Network failures and
 * 5xx are retried with back-off; a 409 stops the slice's saving until the conflict is resolved.
 */
export class SaveQueue {
  private readonly states = new Map<string, SliceSaveState>();
  private readonly timers = new Map<string, () => void>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly retryDelays = new Map<string, number>();
  private readonly storeWrites = new Map<string, Promise<unknown>>();
  private readonly autosaveDelayMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly schedule: Scheduler;
  private readonly now: () => Date;

  constructor(private readonly options: SaveQueueOptions) {
    this.autosaveDelayMs = options.autosaveDelayMs ?? 2500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 15000;
    this.schedule = options.schedule ?? defaultSchedule;
    this.now = options.now ?? (() => new Date());
  }

  state(sliceId: string): SliceSaveState {
    return this.states.get(sliceId) ?? { status: 'saved', revisionId: null, conflict: null, detail: null };
  }

  /**
   * Opens a slice whose current server revision is `serverRevisionId`. Returns what this browser still
   * holds for it: when it builds on that same revision the editor restores it (status 'unsaved'); when
   * it builds on an older one the slice opens in conflict.
   */
  async open(sliceId: string, serverRevisionId: string | null, theirs: MaskRevision | null): Promise<PendingMask | null> {
    const pending = (await this.options.store.get(sliceId)) ?? null;
    if (!pending) {
      this.update(sliceId, { status: 'saved', revisionId: serverRevisionId, conflict: null, detail: null });
    } else if (pending.baseRevisionId === serverRevisionId || !theirs) {
      this.update(sliceId, { status: 'unsaved', revisionId: pending.baseRevisionId, conflict: null, detail: null });
      this.scheduleSave(sliceId, this.autosaveDelayMs);
    } else {
      this.update(sliceId, { status: 'conflict', revisionId: pending.baseRevisionId, conflict: { mine: pending, theirs }, detail: null });
    }
    return pending;
  }

  /**
   * Records the mask after an edit: stored locally before this resolves, sent after the autosave delay.
   * `provenance` adds to what goes with it: the draft the mask now starts from (kept until a save
   * carrying it is acknowledged) and active editing seconds (summed until acknowledged).
   */
  async record(sliceId: string, rle: CocoRle, state: 'draft' | 'submitted' = 'draft', provenance: { origin?: MaskOriginClaim; activeSeconds?: number } = {}): Promise<void> {
    // Unsaved from the moment of the edit, not from when the browser's store has written it.
    this.markUnsaved(sliceId);
    await this.exclusive(sliceId, async () => {
      const previous = await this.options.store.get(sliceId);
      await this.options.store.put({
        sliceId,
        baseRevisionId: previous?.baseRevisionId ?? this.state(sliceId).revisionId,
        rle,
        state,
        seq: (previous?.seq ?? 0) + 1,
        updatedAt: this.now().toISOString(),
        origin: provenance.origin ?? previous?.origin,
        activeSeconds: (previous?.activeSeconds ?? 0) + (provenance.activeSeconds ?? 0),
      });
    });
    if (!this.markUnsaved(sliceId)) return;
    this.scheduleSave(sliceId, state === 'submitted' ? 0 : this.autosaveDelayMs);
  }

  /** False while the slice is in conflict, which only the person resolves. */
  private markUnsaved(sliceId: string): boolean {
    const current = this.state(sliceId);
    if (current.status === 'conflict') return false;
    this.update(sliceId, { ...current, status: 'unsaved', detail: null });
    return true;
  }

  /** Sends what is pending for one slice now (or for every slice), and resolves when that attempt is over. */
  async flush(sliceId?: string): Promise<void> {
    const ids = sliceId ? [sliceId] : (await this.options.store.list()).map((entry) => entry.sliceId);
    await Promise.all(ids.map((id) => this.saveNow(id)));
  }

  /** Forgets what this browser holds for the slice (the user discarded it). */
  async discard(sliceId: string): Promise<void> {
    this.cancelTimer(sliceId);
    await this.options.store.delete(sliceId);
    const current = this.state(sliceId);
    this.update(sliceId, { ...current, status: 'saved', conflict: null, detail: null });
  }

  /**
   * Ends a conflict: keep mine (saved as a new revision on top of theirs), take theirs (ours is dropped)
   * or merge (the union of both, saved on top of theirs). Resolves with the mask the editor should show.
   */
  async resolve(sliceId: string, choice: ConflictChoice): Promise<CocoRle> {
    const { conflict } = this.state(sliceId);
    if (!conflict) throw new Error(`slice ${sliceId} has no conflict to resolve`);
    const { theirs } = conflict;
    // Edits made while the conflict was open are in the store: they are "mine" too.
    const mine = (await this.options.store.get(sliceId)) ?? conflict.mine;
    if (choice === 'take-theirs') {
      await this.options.store.delete(sliceId);
      this.update(sliceId, { status: 'saved', revisionId: theirs.revisionId, conflict: null, detail: null });
      return theirs.rle;
    }
    const rle = choice === 'merge' ? mergeRle(mine.rle, theirs.rle) : mine.rle;
    await this.options.store.put({ ...mine, rle, baseRevisionId: theirs.revisionId, seq: mine.seq + 1, updatedAt: this.now().toISOString() });
    this.update(sliceId, { status: 'unsaved', revisionId: theirs.revisionId, conflict: null, detail: null });
    await this.saveNow(sliceId);
    return rle;
  }

  private saveNow(sliceId: string): Promise<void> {
    this.cancelTimer(sliceId);
    const previous = this.running.get(sliceId) ?? Promise.resolve();
    const next = previous.then(() => this.send(sliceId));
    this.running.set(sliceId, next);
    void next.finally(() => {
      if (this.running.get(sliceId) === next) this.running.delete(sliceId);
    });
    return next;
  }

  private async send(sliceId: string): Promise<void> {
    const pending = await this.options.store.get(sliceId);
    if (!pending || this.state(sliceId).status === 'conflict') return;
    this.update(sliceId, { ...this.state(sliceId), status: 'saving' });
    let outcome;
    try {
      const activeSeconds = Math.min(MAX_ACTIVE_SECONDS_PER_SAVE, Math.round((pending.activeSeconds ?? 0) * 10) / 10);
      outcome = await this.options.api.saveMask(sliceId, { rle: pending.rle, class: DEFAULT_MASK_CLASS, state: pending.state, origin: claimStillValid(pending.origin), activeSeconds }, pending.baseRevisionId);
    } catch (error) {
      if (!(error instanceof TransientSaveError)) throw error;
      const delay = this.retryDelays.get(sliceId) ?? this.retryDelayMs;
      this.retryDelays.set(sliceId, Math.min(this.maxRetryDelayMs, delay * 2));
      this.update(sliceId, { ...this.state(sliceId), status: 'offline', detail: error.message });
      this.scheduleSave(sliceId, delay);
      return;
    }
    this.retryDelays.delete(sliceId);
    if (outcome.kind === 'conflict') {
      this.update(sliceId, { status: 'conflict', revisionId: pending.baseRevisionId, conflict: { mine: pending, theirs: outcome.current }, detail: null });
      return;
    }
    if (outcome.kind === 'refused') {
      this.update(sliceId, { ...this.state(sliceId), status: 'refused', detail: `${outcome.status}: ${outcome.detail}` });
      return;
    }
    this.options.onSaved?.(sliceId, outcome.revision);
    await this.acknowledge(sliceId, pending, outcome.revisionId);
  }

  /** Drops the stored entry unless it changed while it was being sent; then it rebases onto the new revision. */
  private async acknowledge(sliceId: string, sent: PendingMask, revisionId: string): Promise<void> {
    const changedSince = await this.exclusive(sliceId, async () => {
      const latest = await this.options.store.get(sliceId);
      if (!latest || latest.seq === sent.seq) {
        await this.options.store.delete(sliceId);
        return false;
      }
      // The server has the origin and the seconds this save carried: what was added since stays.
      const sameOrigin = JSON.stringify(latest.origin) === JSON.stringify(sent.origin);
      const activeSeconds = Math.max(0, (latest.activeSeconds ?? 0) - (sent.activeSeconds ?? 0));
      await this.options.store.put({ ...latest, baseRevisionId: revisionId, origin: sameOrigin ? undefined : latest.origin, activeSeconds });
      return true;
    });
    if (changedSince) {
      this.update(sliceId, { status: 'unsaved', revisionId, conflict: null, detail: null });
      this.scheduleSave(sliceId, this.autosaveDelayMs);
      return;
    }
    this.update(sliceId, { status: 'saved', revisionId, conflict: null, detail: null });
  }

  /** Runs read-modify-write steps on one slice's stored entry one after another. */
  private exclusive<T>(sliceId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.storeWrites.get(sliceId) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.storeWrites.set(sliceId, next.catch(() => undefined));
    return next;
  }

  private scheduleSave(sliceId: string, delayMs: number): void {
    this.cancelTimer(sliceId);
    this.timers.set(
      sliceId,
      this.schedule(() => {
        this.timers.delete(sliceId);
        void this.saveNow(sliceId);
      }, delayMs),
    );
  }

  private cancelTimer(sliceId: string): void {
    this.timers.get(sliceId)?.();
    this.timers.delete(sliceId);
  }

  private update(sliceId: string, state: SliceSaveState): void {
    this.states.set(sliceId, state);
    this.options.onChange?.(sliceId, state);
  }
}

/** Union of two masks of the same slice, as COCO RLE. */
export function mergeRle(a: CocoRle, b: CocoRle): CocoRle {
  return encodeCocoRle(union(decodeCocoRle(a), decodeCocoRle(b)));
}

/**
 * A mask kept in the browser before origin claims took their present shape would be refused whole; its
 * pixels matter more than where they came from, so such a claim is left out and the save continues its line.
 */
function claimStillValid(origin: MaskOriginClaim | undefined): MaskOriginClaim | undefined {
  return origin && maskOriginClaimSchema.safeParse(origin).success ? origin : undefined;
}
