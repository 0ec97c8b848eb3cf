import { intensityRangeMap, paintSegment, type Point } from './brush';
import { floodFillByIntensity } from './flood-fill';
import type { MaskDocument } from './mask-document';
import { fillPolygon } from './polygon-fill';
import type { Rect } from './rect';

/** `assist` drags boxes for the AI model instead of painting: the editor controller handles it, not PointerTools. */
export const TOOLS = ['brush', 'eraser', 'lasso', 'flood', 'threshold', 'assist'] as const;
export type ToolName = (typeof TOOLS)[number];

/** The tools that paint a disc of `radiusPx` as the pointer moves. */
export const usesRadius = (tool: ToolName): boolean => tool === 'brush' || tool === 'eraser' || tool === 'threshold';

export interface ToolSettings {
  tool: ToolName;
  radiusPx: number;
  /** Flood fill: how far from the seed's value a pixel may be (modality units). */
  floodTolerance: number;
  /** Threshold brush: the modality values it may paint. */
  thresholdRange: readonly [number, number];
  /** Lasso and flood fill remove instead of add (held Alt). */
  erase: boolean;
}

/**
 * Turns pointer input into edits of a MaskDocument: one pointer press is one undoable edit. Brushes
 * paint as the pointer moves; the lasso collects its outline and fills it on release; flood fill acts on
 * press. Returns the rectangles changed so the view redraws only those.
 */
export class PointerTools {
  private settings: ToolSettings | null = null;
  private last: Point | null = null;
  private lasso: Point[] = [];
  private thresholdCache: { values: Float32Array; range: readonly [number, number]; map: Uint8Array } | null = null;

  constructor(
    private readonly document: MaskDocument,
    private readonly values: () => Float32Array,
  ) {}

  get active(): boolean {
    return this.settings !== null;
  }

  /** The lasso outline drawn so far (for the preview). */
  get lassoPath(): readonly Point[] {
    return this.lasso;
  }

  down(point: Point, settings: ToolSettings): Rect | null {
    this.document.beginEdit();
    this.settings = settings;
    this.last = point;
    if (settings.tool === 'lasso') {
      this.lasso = [point];
      return null;
    }
    if (settings.tool === 'flood') {
      return this.document.touched(floodFillByIntensity(this.document.mask, this.values(), point, settings.floodTolerance, settings.erase ? 0 : 1));
    }
    return this.paint(point, point);
  }

  move(point: Point): Rect | null {
    if (!this.settings || !this.last) return null;
    if (this.settings.tool === 'lasso') {
      this.lasso.push(point);
      return null;
    }
    if (this.settings.tool === 'flood') return null;
    const rect = this.paint(this.last, point);
    this.last = point;
    return rect;
  }

  /** Ends the edit: returns what changed on release (the lasso fill) and whether the edit changed anything. */
  up(): { rect: Rect | null; changed: boolean } {
    const settings = this.settings;
    let rect: Rect | null = null;
    if (settings?.tool === 'lasso') rect = this.document.touched(fillPolygon(this.document.mask, this.lasso, settings.erase ? 0 : 1));
    this.settings = null;
    this.last = null;
    this.lasso = [];
    return { rect, changed: this.document.endEdit() !== null };
  }

  private paint(from: Point, to: Point): Rect {
    const settings = this.settings!;
    const value = settings.tool === 'eraser' ? 0 : 1;
    const allowed = settings.tool === 'threshold' ? this.thresholdMap(settings.thresholdRange) : null;
    return this.document.touched(paintSegment(this.document.mask, from, to, settings.radiusPx, value, allowed));
  }

  private thresholdMap(range: readonly [number, number]): Uint8Array {
    const values = this.values();
    const cached = this.thresholdCache;
    if (cached && cached.values === values && cached.range[0] === range[0] && cached.range[1] === range[1]) return cached.map;
    const map = intensityRangeMap(values, range[0], range[1]);
    this.thresholdCache = { values, range, map };
    return map;
  }
}
