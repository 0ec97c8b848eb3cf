import { SHIPPED_ASSIST_MODEL, type AssistPoint, type CocoRle, type MaskOriginClaim, type MaskRevision, type SliceDetail, type SliceSuggestion } from '@lesionlab/contracts';
import { decodeCocoRle, encodeCocoRle, maskArea, union, type BinaryMask } from '@lesionlab/mask';
import { ActiveTime } from '../editor/active-time';
import { AssistDraft, dragBox, prepareAssist, requestDraft, type Box } from '../editor/assist';
import { fetchInterpolationSources, InterpolationDrafts } from '../editor/interpolation-drafts';
import type { Point } from '../editor/brush';
import { lesionStats, type LesionStats } from '../editor/lesion-stats';
import { HttpMaskApi } from '../editor/mask-api';
import { clearMask, foregroundRect, MaskDocument, type LineOrigin } from '../editor/mask-document';
import { EMPTY_RECT, unionRect, type Rect } from '../editor/rect';
import type { OverlayStyle } from '../editor/overlay-render';
import { api } from '../api';
import { currentUser } from '../current-user';
import { IndexedDbPendingMaskStore } from '../editor/indexeddb-pending-mask-store';
import { PointerTools, type ToolSettings } from '../editor/pointer-tools';
import { SaveQueue, type ConflictChoice, type SliceSaveState } from '../editor/save-queue';
import { SliceCache, type LoadedSlice } from '../editor/slice-cache';
import { DiscardedSuggestions, fetchGradcam, fetchSuggestion } from '../editor/suggestions';
import { dragWindow, initialWindow, type DisplayWindow } from '../editor/window-level';
import { EditorCanvas } from './editor-canvas';

/** What the editor's panels show; the controller publishes a new one whenever it changes. */
export interface EditorSnapshot {
  sliceId: string;
  detail: SliceDetail | null;
  loading: boolean;
  error: string | null;
  window: DisplayWindow;
  save: SliceSaveState;
  stats: LesionStats | null;
  canUndo: boolean;
  canRedo: boolean;
  /** Set when edits this browser kept (closed tab, offline) were restored on open. */
  restoredFrom: string | null;
  /** The slice in conflict, for the conflict view. */
  conflictSlice: LoadedSlice | null;
  /** The model's suggestion for this slice, while it is shown (not accepted or discarded). */
  suggestion: SliceSuggestion | null;
  gradcamShown: boolean;
  /** AI assist: the draft on screen (boxes, the model's score of the latest answer), a prompt in flight, the last refusal. */
  assist: { boxes: number; score: number | null; ms: number | null; pending: boolean; error: string | null };
  /** AI assist: the API is encoding this slice's image for the chosen model (prepare), or holds it, so a box answers at decoder speed; null: unknown. */
  assistImage: 'encoding' | 'ready' | null;
  /** The draft interpolated for this slice while it is shown: its source slices and how many slices between still have an empty mask. */
  interpolation: { lowerIndex: number; upperIndex: number; openSlices: number; accepting: boolean; error: string | null } | null;
  /** Where the slice's saved mask came from and what was changed from its draft (null: nothing saved yet). */
  provenance: { origin: NonNullable<MaskRevision['origin']>; edit: MaskRevision['edit'] | null; activeSeconds: number | null } | null;
}

const NO_ASSIST: EditorSnapshot['assist'] = { boxes: 0, score: null, ms: null, pending: false, error: null };

/** The mouse mode of the pointer currently down. */
type Drag =
  | { kind: 'tool' }
  | { kind: 'box'; start: Point; end: Point; additive: boolean; exclude: boolean }
  | { kind: 'pan'; x: number; y: number }
  | { kind: 'window'; x: number; y: number; start: DisplayWindow }
  | null;

/**
 * Owns everything imperative about the editor — canvas, mask document, pointer tools, save queue and
 * slice cache — and leaves rendering of the panels to React through `onSnapshot`. Pointer input never
 * goes through React state: moves are queued and applied once per animation frame.
 */
export class EditorController {
  readonly canvas: EditorCanvas;
  private readonly cache: SliceCache;
  private readonly queue: SaveQueue;
  private snapshot: EditorSnapshot;
  private slice: LoadedSlice | null = null;
  private document: MaskDocument | null = null;
  private tools: PointerTools | null = null;
  private settings: () => ToolSettings;
  private drag: Drag = null;
  private spaceHeld = false;
  private queuedPoints: Point[] = [];
  private lastPointer: Point | null = null;
  /** The latest write of an edit to the save queue: saving waits for it. */
  private recording: Promise<void> = Promise.resolve();
  private statsTimer = 0;
  private loadToken = 0;
  private suggestionMask: BinaryMask | null = null;
  private readonly discarded = new DiscardedSuggestions(localStorage);
  private readonly assistDraft = new AssistDraft();
  private assistModel = SHIPPED_ASSIST_MODEL;
  private interpolationDrafts: InterpolationDrafts | null = null;
  /** The latest drafts drawn, kept while stepping through the slices between the same two sources. */
  private interpolationCache: InterpolationDrafts | null = null;
  /** The line origin last given to the save queue for this slice (the document's origin then). */
  private sentOrigin: LineOrigin = null;
  private readonly activeTime = new ActiveTime();
  private readonly detach: Array<() => void> = [];

  constructor(
    viewport: HTMLElement,
    sliceId: string,
    settings: () => ToolSettings,
    private readonly onSnapshot: (snapshot: EditorSnapshot) => void,
    private readonly onSliceChange: (sliceId: string) => void,
  ) {
    this.settings = settings;
    this.canvas = new EditorCanvas(viewport);
    const masks = new HttpMaskApi(api);
    this.cache = new SliceCache(masks, api);
    this.queue = new SaveQueue({
      api: masks,
      store: new IndexedDbPendingMaskStore(currentUser()),
      onChange: (id, save) => {
        if (id !== this.snapshot.sliceId) return;
        this.publish({ save, conflictSlice: save.status === 'conflict' ? this.slice : null });
      },
      onSaved: (id, revision) => {
        if (id === this.snapshot.sliceId && revision) this.publish({ provenance: provenanceOf(revision) });
      },
    });
    this.snapshot = {
      sliceId,
      detail: null,
      loading: true,
      error: null,
      window: { center: -600, width: 1500 },
      save: this.queue.state(sliceId),
      stats: null,
      canUndo: false,
      canRedo: false,
      restoredFrom: null,
      conflictSlice: null,
      suggestion: null,
      gradcamShown: false,
      assist: NO_ASSIST,
      assistImage: null,
      interpolation: null,
      provenance: null,
    };
    this.listen(viewport);
    void this.open(sliceId, false);
  }

  dispose(): void {
    void this.queue.flush();
    for (const off of this.detach) off();
    this.canvas.dispose();
  }

  get current(): EditorSnapshot {
    return this.snapshot;
  }

  /** Opens a slice: from the cache when prefetched, with what this browser kept for it restored. */
  async open(sliceId: string, keepView: boolean): Promise<void> {
    const token = ++this.loadToken;
    this.publish({ sliceId, loading: true, error: null, provenance: null, assistImage: null });
    this.hideSuggestion();
    this.dropAssist();
    this.dropInterpolation();
    this.activeTime.reset();
    this.sentOrigin = null;
    try {
      const slice = await this.cache.load(sliceId);
      const pending = await this.queue.open(sliceId, slice.revision?.revisionId ?? null, slice.revision);
      if (token !== this.loadToken) return;
      const document = new MaskDocument(slice.detail.width, slice.detail.height);
      const restored = pending && this.queue.state(sliceId).status === 'unsaved' ? pending : null;
      const shown = restored?.rle ?? slice.revision?.rle;
      if (shown) document.mask.data.set(decodeCocoRle(shown, slice.detail).data);
      this.slice = slice;
      this.document = document;
      this.tools = new PointerTools(document, slice.values);
      const window = keepView && this.slice.detail.bitDepth === this.snapshot.detail?.bitDepth ? this.snapshot.window : initialWindow(slice.detail.bitDepth, slice.detail.defaultWindow);
      this.canvas.show(slice.pixels, document.mask, window, keepView);
      this.canvas.markShown(sliceId);
      const save = this.queue.state(sliceId);
      this.publish({
        detail: slice.detail,
        loading: false,
        window,
        save,
        stats: lesionStats(document.mask, slice.detail.pixelSpacingMm),
        canUndo: false,
        canRedo: false,
        restoredFrom: restored ? restored.updatedAt : null,
        provenance: slice.revision ? provenanceOf(slice.revision) : null,
        conflictSlice: save.status === 'conflict' ? slice : null,
      });
      void this.showSuggestion(slice, token);
      if (maskArea(document.mask) === 0) void this.showInterpolation(sliceId, token);
      if (this.settings().tool === 'assist') this.prepareAssist();
      this.cache.prefetch(slice.detail.previousSliceId);
      this.cache.prefetch(slice.detail.nextSliceId);
    } catch (error) {
      if (token === this.loadToken) this.publish({ loading: false, error: (error as Error).message });
    }
  }

  /** ←/→: saves this slice's edits, then shows the neighbour (prefetched, so at once). */
  async step(direction: -1 | 1): Promise<void> {
    const detail = this.snapshot.detail;
    const target = direction < 0 ? detail?.previousSliceId : detail?.nextSliceId;
    if (!detail || !target) return;
    void this.recording.then(() => this.queue.flush(detail.id));
    this.cache.forget(detail.id);
    this.onSliceChange(target);
    await this.open(target, true);
  }

  setWindow(window: DisplayWindow): void {
    this.canvas.setWindow(window);
    this.publish({ window });
  }

  setOverlay(style: OverlayStyle, visible: boolean): void {
    this.canvas.setOverlayStyle(style);
    this.canvas.setOverlayVisible(visible);
  }

  undo(): void {
    this.afterEdit(this.document?.undo() ?? null);
  }

  redo(): void {
    this.afterEdit(this.document?.redo() ?? null);
  }

  clear(): void {
    this.afterEdit(this.document?.apply(clearMask) ?? null);
  }

  async save(): Promise<void> {
    await this.recording;
    await this.queue.flush(this.snapshot.sliceId);
  }

  /** Enter: sends the mask for review now. */
  async submit(): Promise<void> {
    if (!this.document) return;
    await this.recording;
    await this.queue.record(this.snapshot.sliceId, encodeCocoRle(this.document.mask), 'submitted', this.takeProvenance());
  }

  flushAll(): Promise<void> {
    return this.queue.flush();
  }

  async resolveConflict(choice: ConflictChoice): Promise<void> {
    const sliceId = this.snapshot.sliceId;
    const rle = await this.queue.resolve(sliceId, choice);
    this.replaceMask(rle);
  }

  /** Drops the edits restored from this browser and shows the server's mask again. */
  async discardRestored(): Promise<void> {
    const sliceId = this.snapshot.sliceId;
    await this.queue.discard(sliceId);
    this.cache.forget(sliceId);
    await this.open(sliceId, true);
  }

  /** The suggestion becomes the mask: saved as a new revision at once, or (`edit`) left unsaved to correct. */
  async acceptSuggestion(edit: boolean): Promise<void> {
    const mask = this.suggestionMask;
    if (!mask || !this.document) return;
    const suggestion = this.snapshot.suggestion!;
    this.hideSuggestion();
    this.afterEdit(this.document.replaceAll(mask.data, { kind: 'suggestion', revisionId: suggestion.revisionId }));
    if (!edit) await this.save();
  }

  /** Hides the suggestion; this browser remembers not to show it again. */
  discardSuggestion(): void {
    const suggestion = this.snapshot.suggestion;
    if (suggestion) this.discarded.add(suggestion.revisionId);
    this.hideSuggestion();
  }

  async toggleGradcam(): Promise<void> {
    const { suggestion, gradcamShown, sliceId } = this.snapshot;
    if (gradcamShown || !suggestion?.hasGradcam) {
      this.canvas.setHeatmap(null);
      return this.publish({ gradcamShown: false });
    }
    const token = this.loadToken;
    const heatmap = await fetchGradcam(sliceId);
    if (token !== this.loadToken || !this.snapshot.suggestion) return;
    this.canvas.setHeatmap(heatmap);
    this.publish({ gradcamShown: true });
  }

  /** The model AI assist asks: `shipped` or a registered fine-tuned model's id. */
  setAssistModel(model: string): void {
    this.assistModel = model;
    this.dropAssist();
    this.publish({ assistImage: null });
    this.prepareAssist();
  }

  /** Starts the image encoder on this slice while the annotator aims (the assist tool was picked). */
  prepareAssist(): void {
    const detail = this.snapshot.detail;
    if (!detail || this.snapshot.assistImage === 'ready') return;
    const model = this.assistModel;
    // Still the slice open (or opening: open() resets the state) and the model picked.
    const current = () => this.snapshot.sliceId === detail.id && this.assistModel === model;
    this.publish({ assistImage: 'encoding' });
    // A failed prepare only costs speed: the first box then runs the encoder itself.
    void prepareAssist(detail.id, model).then(
      (ready) => current() && this.publish({ assistImage: ready ? 'ready' : null }),
      () => current() && this.publish({ assistImage: null }),
    );
  }

  get hasAssistDraft(): boolean {
    return !this.assistDraft.empty;
  }

  /** Enter: the draft joins the mask (union) as one undoable edit. */
  acceptAssist(): void {
    const draft = this.assistDraft.united();
    if (!draft || !this.document) return;
    const draftIds = this.assistDraft.draftIds();
    this.dropAssist();
    // The server joins the stored answers to the revision this save builds on: the line's draft.
    const rect = this.document.apply((mask) => {
      mask.data.set(union(mask, draft).data);
      return foregroundRect(draft);
    }, { kind: 'assist', draftIds });
    this.afterEdit(rect);
  }

  get hasInterpolationDraft(): boolean {
    return this.interpolationDrafts !== null;
  }

  /** Enter on an interpolated draft: it becomes this slice's mask (one undo step). */
  acceptInterpolation(): void {
    const drafts = this.interpolationDrafts;
    const draft = drafts?.draftOf(this.snapshot.sliceId);
    const origin = drafts?.originOf(this.snapshot.sliceId);
    if (!draft || !origin || !this.document) return;
    this.dropInterpolation();
    const rect = this.document.apply((mask) => {
      mask.data.set(union(mask, draft).data);
      return foregroundRect(draft);
    }, origin);
    this.afterEdit(rect);
  }

  /** Shift+Enter: this slice's draft and every other slice between whose mask is still empty, each saved as a revision of its own. */
  async acceptAllInterpolation(): Promise<void> {
    const drafts = this.interpolationDrafts;
    if (!drafts || !this.snapshot.interpolation) return;
    this.publish({ interpolation: { ...this.snapshot.interpolation, accepting: true } });
    const others = drafts.open().filter((slice) => slice.sliceId !== this.snapshot.sliceId);
    this.acceptInterpolation();
    try {
      await Promise.all(
        others.map(async ({ sliceId, revisionId, draft, origin }) => {
          await this.queue.open(sliceId, revisionId, null);
          await this.queue.record(sliceId, encodeCocoRle(draft), 'draft', { origin });
          this.cache.forget(sliceId);
          await this.queue.flush(sliceId);
        }),
      );
    } catch (error) {
      this.publish({ interpolation: { lowerIndex: drafts.lowerIndex, upperIndex: drafts.upperIndex, openSlices: 0, accepting: false, error: (error as Error).message } });
    }
  }

  /** Esc on an interpolated draft: it goes for this visit of the slice. */
  dropInterpolation(): void {
    this.interpolationDrafts = null;
    this.canvas.setInterpolationDraft(null);
    this.publish({ interpolation: null });
  }

  /** Esc: the draft goes, the mask stays as it was. */
  dropAssist(): void {
    this.assistDraft.clear();
    this.canvas.setAssistDraft(null);
    this.canvas.setAssistBox(null);
    this.publish({ assist: NO_ASSIST });
  }

  setCursorRadius(radius: number): void {
    this.canvas.setCursor(this.lastPointer, radius);
  }

  private async showSuggestion(slice: LoadedSlice, token: number): Promise<void> {
    const suggestion = await fetchSuggestion(slice.detail.id).catch(() => null);
    if (token !== this.loadToken || !suggestion || this.discarded.has(suggestion.revisionId)) return;
    this.suggestionMask = decodeCocoRle(suggestion.rle, slice.detail);
    this.canvas.setSuggestion(this.suggestionMask);
    this.publish({ suggestion });
  }

  /** Shows the draft interpolated from the nearest masked slices when there are some on both sides. */
  private async showInterpolation(sliceId: string, token: number): Promise<void> {
    const sources = await fetchInterpolationSources(sliceId).catch(() => null);
    if (token !== this.loadToken || !sources) return;
    const cached = this.interpolationCache;
    const drafts = cached && sources.lower && sources.upper && cached.key === `${sources.lower.revisionId} ${sources.upper.revisionId}` ? cached.withSources(sources) : InterpolationDrafts.from(sources);
    const draft = drafts?.draftOf(sliceId);
    if (!drafts || !draft) return;
    this.interpolationCache = drafts;
    this.interpolationDrafts = drafts;
    this.canvas.setInterpolationDraft(draft);
    this.publish({ interpolation: { lowerIndex: drafts.lowerIndex, upperIndex: drafts.upperIndex, openSlices: drafts.open().length, accepting: false, error: null } });
  }

  private hideSuggestion(): void {
    this.suggestionMask = null;
    this.canvas.setSuggestion(null);
    this.canvas.setHeatmap(null);
    this.publish({ suggestion: null, gradcamShown: false });
  }

  private replaceMask(rle: CocoRle): void {
    if (!this.document || !this.slice) return;
    this.document.replaceAll(decodeCocoRle(rle, this.slice.detail).data);
    this.canvas.invalidate({ x: 0, y: 0, width: this.slice.detail.width, height: this.slice.detail.height });
    this.refreshStats();
  }

  private afterEdit(rect: Rect | null): void {
    if (!rect) return;
    this.canvas.invalidate(rect);
    this.recordEdit();
  }

  /** After an edit: keep it (IndexedDB at once, the server after the autosave delay) and recount. */
  private recordEdit(): void {
    if (!this.document) return;
    this.recording = this.queue.record(this.snapshot.sliceId, encodeCocoRle(this.document.mask), 'draft', this.takeProvenance());
    this.publish({ canUndo: this.document.canUndo, canRedo: this.document.canRedo });
    this.refreshStats();
  }

  /**
   * What goes with the next recorded mask: the line's origin when it changed since the queue was last
   * told (a draft accepted, or undone: then back to the line of the revision opened), and the active
   * seconds since then.
   */
  private takeProvenance(): { origin?: MaskOriginClaim; activeSeconds: number } {
    const line = this.document?.origin ?? null;
    const activeSeconds = this.activeTime.take();
    if (JSON.stringify(line) === JSON.stringify(this.sentOrigin)) return { activeSeconds };
    this.sentOrigin = line;
    const opened = this.slice?.revision;
    return { origin: line ?? (opened ? { kind: 'line', revisionId: opened.revisionId } : { kind: 'manual' }), activeSeconds };
  }

  private refreshStats(): void {
    clearTimeout(this.statsTimer);
    this.statsTimer = window.setTimeout(() => {
      if (this.document && this.slice) this.publish({ stats: lesionStats(this.document.mask, this.slice.detail.pixelSpacingMm), canUndo: this.document.canUndo, canRedo: this.document.canRedo });
    }, 30);
  }

  private publish(change: Partial<EditorSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    this.onSnapshot(this.snapshot);
  }

  private listen(viewport: HTMLElement): void {
    const on = <E extends Event>(target: EventTarget, type: string, handler: (event: E) => void, options?: AddEventListenerOptions) => {
      target.addEventListener(type, handler as EventListener, options);
      this.detach.push(() => target.removeEventListener(type, handler as EventListener, options));
    };
    const input = () => this.activeTime.input(performance.now(), document.hasFocus());
    on<PointerEvent>(viewport, 'pointerdown', (event) => {
      input();
      this.pointerDown(viewport, event);
    });
    on<PointerEvent>(viewport, 'pointermove', (event) => {
      input();
      this.pointerMove(event);
    });
    on(viewport, 'wheel', input, { passive: true });
    on(window, 'keydown', input);
    on(window, 'blur', () => this.activeTime.pause());
    on(viewport, 'pointerup', () => this.pointerUp());
    on(viewport, 'pointercancel', () => this.pointerUp());
    on(viewport, 'pointerleave', () => this.canvas.setCursor(null, 0));
    on(viewport, 'contextmenu', (event) => event.preventDefault());
    on<WheelEvent>(viewport, 'wheel', (event) => {
      event.preventDefault();
      this.canvas.zoomAt(event.clientX, event.clientY, Math.exp(-event.deltaY * 0.0015));
    }, { passive: false });
    on<KeyboardEvent>(window, 'keydown', (event) => {
      if (event.code === 'Space' && !isTyping(event)) {
        this.spaceHeld = true;
        event.preventDefault();
      }
    });
    on<KeyboardEvent>(window, 'keyup', (event) => {
      if (event.code === 'Space') this.spaceHeld = false;
    });
    on(window, 'online', () => void this.queue.flush());
    on(window, 'pagehide', () => void this.queue.flush());
  }

  private pointerDown(viewport: HTMLElement, event: PointerEvent): void {
    viewport.setPointerCapture(event.pointerId);
    if (event.button === 1 || (event.button === 0 && this.spaceHeld)) {
      event.preventDefault();
      this.drag = { kind: 'pan', x: event.clientX, y: event.clientY };
    } else if (event.button === 2) {
      this.drag = { kind: 'window', x: event.clientX, y: event.clientY, start: this.snapshot.window };
    } else if (event.button === 0 && this.tools && this.settings().tool === 'assist') {
      const point = this.canvas.imagePoint(event.clientX, event.clientY);
      this.drag = { kind: 'box', start: point, end: point, additive: event.shiftKey, exclude: event.altKey };
    } else if (event.button === 0 && this.tools && this.snapshot.save.status !== 'conflict') {
      this.drag = { kind: 'tool' };
      const settings = { ...this.settings(), erase: this.settings().erase || event.altKey };
      const point = this.canvas.imagePoint(event.clientX, event.clientY);
      const tools = this.tools;
      this.canvas.schedule(() => tools.down(point, settings));
    }
  }

  private pointerMove(event: PointerEvent): void {
    const point = this.canvas.imagePoint(event.clientX, event.clientY);
    this.lastPointer = point;
    this.canvas.setCursor(point, this.settings().radiusPx);
    const drag = this.drag;
    if (!drag) return;
    if (drag.kind === 'pan') {
      this.canvas.panBy(event.clientX - drag.x, event.clientY - drag.y);
      this.drag = { ...drag, x: event.clientX, y: event.clientY };
    } else if (drag.kind === 'box') {
      this.drag = { ...drag, end: point };
      const { width, height } = this.document!.mask;
      this.canvas.setAssistBox(dragBox(drag.start, point, width, height));
    } else if (drag.kind === 'window') {
      const unitsPerPixel = this.slice?.detail.bitDepth === 16 ? 4 : 1;
      this.setWindow(dragWindow(drag.start, event.clientX - drag.x, event.clientY - drag.y, unitsPerPixel));
    } else {
      const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
      const frameAlreadyScheduled = this.queuedPoints.length > 0;
      for (const e of events.length ? events : [event]) this.queuedPoints.push(this.canvas.imagePoint(e.clientX, e.clientY));
      if (!frameAlreadyScheduled) this.scheduleQueuedPoints();
    }
  }

  private scheduleQueuedPoints(): void {
    if (this.queuedPoints.length === 0 || !this.tools) return;
    const tools = this.tools;
    this.canvas.schedule(() => {
      const points = this.queuedPoints;
      this.queuedPoints = [];
      let rect: Rect = EMPTY_RECT;
      for (const point of points) rect = unionRect(rect, tools.move(point) ?? EMPTY_RECT);
      if (this.settings().tool === 'lasso') this.canvas.setLassoPath(tools.lassoPath);
      return rect;
    });
  }

  private pointerUp(): void {
    const drag = this.drag;
    this.drag = null;
    if (drag?.kind === 'box') return void this.promptAssist(drag);
    if (drag?.kind !== 'tool' || !this.tools) return;
    const tools = this.tools;
    // Ends after the frame that applies the last queued moves.
    this.canvas.schedule(() => {
      const points = this.queuedPoints;
      this.queuedPoints = [];
      for (const point of points) tools.move(point);
      const { rect, changed } = tools.up();
      this.canvas.setLassoPath([]);
      if (changed) queueMicrotask(() => this.recordEdit());
      return rect;
    });
  }

  /** A dragged box asks for a draft; a click (no area) adds a point to the latest box. */
  private async promptAssist(drag: Extract<Drag, { kind: 'box' }>): Promise<void> {
    const detail = this.snapshot.detail;
    if (!detail) return;
    const box = dragBox(drag.start, drag.end, detail.width, detail.height);
    const point: AssistPoint = { x: drag.end.x, y: drag.end.y, positive: !drag.exclude };
    const refinement = box ? null : this.assistDraft.refinement(point);
    if (!box && !refinement) return this.canvas.setAssistBox(null);
    const token = this.loadToken;
    this.publish({ assist: { ...this.snapshot.assist, pending: true, error: null } });
    try {
      const request: { box: Box; points?: AssistPoint[] } = box ? { box } : refinement!;
      const answer = await requestDraft(detail.id, { ...request, model: this.assistModel });
      if (token !== this.loadToken) return;
      if (box) this.assistDraft.addBox(box, answer, drag.additive);
      else this.assistDraft.refineLast(refinement!.points, answer);
      this.canvas.setAssistBox(null);
      this.canvas.setAssistDraft(this.assistDraft.united());
      this.publish({ assist: { boxes: this.assistDraft.boxes, score: answer.score, ms: answer.ms, pending: false, error: null }, assistImage: 'ready' });
    } catch (error) {
      if (token !== this.loadToken) return;
      this.canvas.setAssistBox(null);
      this.publish({ assist: { ...this.snapshot.assist, pending: false, error: (error as Error).message } });
    }
  }
}

function provenanceOf(revision: MaskRevision): EditorSnapshot['provenance'] {
  return revision.origin ? { origin: revision.origin, edit: revision.edit ?? null, activeSeconds: revision.activeSeconds ?? null } : null;
}

function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
}
