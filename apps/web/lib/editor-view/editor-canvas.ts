import type { BinaryMask } from '@lesionlab/mask';
import { renderOverlay, type OverlayStyle } from '../editor/overlay-render';
import { clipRect, EMPTY_RECT, inflateRect, isEmptyRect, type Rect, unionRect } from '../editor/rect';
import type { SlicePixels } from '../editor/slice-pixels';
import { buildDisplayLut, renderGrayscale, type DisplayWindow } from '../editor/window-level';
import type { Point } from '../editor/brush';
import { actualSizeTransform, fitTransform, toImage, zoomAround, type ViewTransform } from './view-transform';

/** performance.measure name of the work done per animation frame on the paint path. */
export const PAINT_FRAME_MEASURE = 'lesionlab:paint-frame';
/** performance.mark set when a slice is on screen (its detail names the slice). */
export const SLICE_SHOWN_MARK = 'lesionlab:slice-shown';
const SVG = 'http://www.w3.org/2000/svg';
/** Model suggestions: a light cyan fill with a solid outline, unlike the annotator's orange mask. */
const SUGGESTION_COLOR = 0x4cc2ff;
const SUGGESTION_FILL_OPACITY = 0.2;
const HEATMAP_OPACITY = 0.5;
/** AI assist drafts: lime, so a draft never looks like the saved mask or a model suggestion. */
const ASSIST_COLOR = 0x9cff3c;
const ASSIST_FILL_OPACITY = 0.35;
/** Interpolated drafts: violet, apart from the mask (orange), suggestions (cyan) and assist drafts (lime). */
const INTERPOLATION_COLOR = 0xc77dff;
const INTERPOLATION_FILL_OPACITY = 0.3;

/**
 * The slice and its mask on screen. Two canvases at the image's own resolution (grayscale and mask
 * overlay) sit in a stage that CSS scales and moves, so zoom and pan cost no pixel work. Edits are
 * batched per animation frame: the frame redraws only the union of the dirty rectangles into the
 * overlay's ImageData and puts back just that rectangle.
 */
export class EditorCanvas {
  readonly stage: HTMLDivElement;
  readonly imageCanvas: HTMLCanvasElement;
  readonly overlayCanvas: HTMLCanvasElement;
  readonly heatmapCanvas: HTMLCanvasElement;
  readonly interpolationCanvas: HTMLCanvasElement;
  readonly suggestionCanvas: HTMLCanvasElement;
  readonly assistCanvas: HTMLCanvasElement;
  private readonly svg: SVGSVGElement;
  private readonly assistBox: SVGRectElement;
  private readonly cursor: SVGCircleElement;
  private readonly lasso: SVGPolylineElement;
  private imageContext: CanvasRenderingContext2D;
  private overlayContext: CanvasRenderingContext2D;
  private imageData: ImageData | null = null;
  private overlayData: ImageData | null = null;
  private overlayWords: Uint32Array = new Uint32Array(0);
  private pixels: SlicePixels | null = null;
  private mask: BinaryMask | null = null;
  private window: DisplayWindow = { center: 0, width: 1 };
  private style: OverlayStyle = { color: 0xff5a3c, opacity: 0.45, outlineOnly: false };
  private view: ViewTransform = { scale: 1, offsetX: 0, offsetY: 0 };
  private frameTasks: Array<() => Rect | null> = [];
  private dirty: Rect = EMPTY_RECT;
  private grayDirty = false;
  private frame = 0;

  constructor(private readonly viewport: HTMLElement) {
    this.stage = document.createElement('div');
    this.stage.className = 'editor-stage';
    this.imageCanvas = document.createElement('canvas');
    this.imageCanvas.dataset.testid = 'slice-canvas';
    this.overlayCanvas = document.createElement('canvas');
    this.overlayCanvas.dataset.testid = 'mask-canvas';
    this.heatmapCanvas = document.createElement('canvas');
    this.heatmapCanvas.dataset.testid = 'gradcam-canvas';
    this.suggestionCanvas = document.createElement('canvas');
    this.suggestionCanvas.dataset.testid = 'suggestion-canvas';
    this.assistCanvas = document.createElement('canvas');
    this.assistCanvas.dataset.testid = 'assist-draft-canvas';
    this.interpolationCanvas = document.createElement('canvas');
    this.interpolationCanvas.dataset.testid = 'interpolation-draft-canvas';
    this.svg = document.createElementNS(SVG, 'svg');
    this.assistBox = document.createElementNS(SVG, 'rect');
    this.assistBox.setAttribute('class', 'editor-assist-box');
    this.assistBox.style.display = 'none';
    this.cursor = document.createElementNS(SVG, 'circle');
    this.cursor.setAttribute('class', 'editor-cursor');
    this.lasso = document.createElementNS(SVG, 'polyline');
    this.lasso.setAttribute('class', 'editor-lasso');
    this.svg.append(this.lasso, this.assistBox, this.cursor);
    this.stage.append(this.imageCanvas, this.heatmapCanvas, this.suggestionCanvas, this.overlayCanvas, this.interpolationCanvas, this.assistCanvas, this.svg);
    viewport.append(this.stage);
    this.imageContext = this.imageCanvas.getContext('2d', { alpha: false })!;
    this.overlayContext = this.overlayCanvas.getContext('2d')!;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.stage.remove();
  }

  /** Shows a slice with its mask; draws synchronously so the first frame already has it. */
  show(pixels: SlicePixels, mask: BinaryMask, window: DisplayWindow, keepView: boolean): void {
    const resized = !this.pixels || this.pixels.width !== pixels.width || this.pixels.height !== pixels.height;
    this.pixels = pixels;
    this.mask = mask;
    this.window = window;
    if (resized) {
      for (const canvas of [this.imageCanvas, this.heatmapCanvas, this.suggestionCanvas, this.overlayCanvas, this.interpolationCanvas, this.assistCanvas]) {
        canvas.width = pixels.width;
        canvas.height = pixels.height;
      }
      this.svg.setAttribute('width', String(pixels.width));
      this.svg.setAttribute('height', String(pixels.height));
      this.svg.setAttribute('viewBox', `0 0 ${pixels.width} ${pixels.height}`);
      this.imageData = this.imageContext.createImageData(pixels.width, pixels.height);
      this.overlayData = this.overlayContext.createImageData(pixels.width, pixels.height);
      this.overlayWords = new Uint32Array(this.overlayData.data.buffer);
    }
    if (resized || !keepView) this.fit();
    this.drawGray();
    this.drawOverlay(this.wholeImage());
  }

  /** Records that the slice is on screen, for the benchmark and anyone profiling. */
  markShown(sliceId: string): void {
    performance.mark(SLICE_SHOWN_MARK, { detail: sliceId });
  }

  setWindow(window: DisplayWindow): void {
    this.window = window;
    this.grayDirty = true;
    this.requestFrame();
  }

  setOverlayStyle(style: OverlayStyle): void {
    this.style = style;
    this.invalidate(this.wholeImage());
  }

  /** A model's suggested mask under the annotator's (null removes it). */
  setSuggestion(mask: BinaryMask | null): void {
    drawMaskLayer(this.suggestionCanvas, mask, SUGGESTION_COLOR, SUGGESTION_FILL_OPACITY);
  }

  /** The AI assist draft, above the annotator's mask until accepted or dropped (null removes it). */
  setAssistDraft(mask: BinaryMask | null): void {
    drawMaskLayer(this.assistCanvas, mask, ASSIST_COLOR, ASSIST_FILL_OPACITY);
  }

  /** The draft interpolated from the nearest masked slices, above the mask until accepted or dropped (null removes it). */
  setInterpolationDraft(mask: BinaryMask | null): void {
    drawMaskLayer(this.interpolationCanvas, mask, INTERPOLATION_COLOR, INTERPOLATION_FILL_OPACITY);
  }

  /** The box being dragged for AI assist, in image coordinates (null hides it). */
  setAssistBox(box: readonly [number, number, number, number] | null): void {
    this.assistBox.style.display = box ? '' : 'none';
    if (!box) return;
    const [x0, y0, x1, y1] = box;
    for (const [name, value] of [['x', x0], ['y', y0], ['width', x1 - x0], ['height', y1 - y0]] as const) this.assistBox.setAttribute(name, String(value));
  }

  /** A Grad-CAM heat map stretched over the slice, semi-transparent (null removes it). */
  setHeatmap(image: CanvasImageSource | null): void {
    const context = this.heatmapCanvas.getContext('2d')!;
    const { width, height } = this.heatmapCanvas;
    context.clearRect(0, 0, width, height);
    if (!image) return;
    context.globalAlpha = HEATMAP_OPACITY;
    context.drawImage(image, 0, 0, width, height);
    context.globalAlpha = 1;
  }

  setOverlayVisible(visible: boolean): void {
    this.overlayCanvas.style.visibility = visible ? 'visible' : 'hidden';
  }

  /** Marks a mask region for redraw at the next frame. */
  invalidate(rect: Rect | null): void {
    if (rect) this.dirty = unionRect(this.dirty, rect);
    this.requestFrame();
  }

  /** Runs `task` (a tool applying queued pointer input) at the next frame; the rectangle it returns is redrawn then. */
  schedule(task: () => Rect | null): void {
    this.frameTasks.push(task);
    this.requestFrame();
  }

  get transform(): ViewTransform {
    return this.view;
  }

  /** Image coordinates of a client (mouse) position. */
  imagePoint(clientX: number, clientY: number): Point {
    const box = this.viewport.getBoundingClientRect();
    return toImage(this.view, clientX - box.left, clientY - box.top);
  }

  zoomAt(clientX: number, clientY: number, factor: number): void {
    const box = this.viewport.getBoundingClientRect();
    this.setView(zoomAround(this.view, clientX - box.left, clientY - box.top, factor));
  }

  panBy(dx: number, dy: number): void {
    this.setView({ ...this.view, offsetX: this.view.offsetX + dx, offsetY: this.view.offsetY + dy });
  }

  fit(): void {
    if (this.pixels) this.setView(fitTransform(this.pixels.width, this.pixels.height, this.viewport.clientWidth, this.viewport.clientHeight));
  }

  actualSize(): void {
    if (this.pixels) this.setView(actualSizeTransform(this.pixels.width, this.pixels.height, this.viewport.clientWidth, this.viewport.clientHeight));
  }

  /** The round brush preview, in image coordinates (null hides it). */
  setCursor(center: Point | null, radius: number): void {
    this.cursor.style.display = center ? '' : 'none';
    if (!center) return;
    this.cursor.setAttribute('cx', String(center.x));
    this.cursor.setAttribute('cy', String(center.y));
    this.cursor.setAttribute('r', String(Math.max(0.5, radius)));
  }

  setLassoPath(points: readonly Point[]): void {
    this.lasso.setAttribute('points', points.map((p) => `${p.x},${p.y}`).join(' '));
  }

  private setView(view: ViewTransform): void {
    this.view = view;
    this.stage.style.transform = `translate(${view.offsetX}px, ${view.offsetY}px) scale(${view.scale})`;
    this.stage.classList.toggle('editor-stage-pixelated', view.scale >= 2);
  }

  private requestFrame(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.runFrame());
  }

  private runFrame(): void {
    this.frame = 0;
    const started = performance.now();
    const tasks = this.frameTasks;
    this.frameTasks = [];
    for (const task of tasks) {
      const rect = task();
      if (rect) this.dirty = unionRect(this.dirty, rect);
    }
    if (this.grayDirty) this.drawGray();
    const painted = !isEmptyRect(this.dirty);
    if (painted) this.drawOverlay(this.dirty);
    this.dirty = EMPTY_RECT;
    if (painted && tasks.length > 0) performance.measure(PAINT_FRAME_MEASURE, { start: started, end: performance.now() });
  }

  private drawGray(): void {
    this.grayDirty = false;
    if (!this.pixels || !this.imageData) return;
    renderGrayscale(this.pixels, buildDisplayLut(this.pixels, this.window), new Uint32Array(this.imageData.data.buffer));
    this.imageContext.putImageData(this.imageData, 0, 0);
  }

  private drawOverlay(rect: Rect): void {
    if (!this.mask || !this.overlayData) return;
    // Outline pixels depend on their neighbours: redraw one pixel around the change.
    const area = clipRect(this.style.outlineOnly ? inflateRect(rect, 1, this.mask.width, this.mask.height) : rect, this.mask.width, this.mask.height);
    if (isEmptyRect(area)) return;
    renderOverlay(this.mask, area, this.style, this.overlayWords);
    this.overlayContext.putImageData(this.overlayData, 0, 0, area.x, area.y, area.width, area.height);
  }

  private wholeImage(): Rect {
    return this.pixels ? { x: 0, y: 0, width: this.pixels.width, height: this.pixels.height } : EMPTY_RECT;
  }
}

/** A mask as a light fill with a solid outline on a canvas of its own (null clears it). */
function drawMaskLayer(canvas: HTMLCanvasElement, mask: BinaryMask | null, color: number, fillOpacity: number): void {
  const context = canvas.getContext('2d')!;
  context.clearRect(0, 0, canvas.width, canvas.height);
  if (!mask) return;
  const whole = { x: 0, y: 0, width: mask.width, height: mask.height };
  const image = context.createImageData(mask.width, mask.height);
  const words = new Uint32Array(image.data.buffer);
  renderOverlay(mask, whole, { color, opacity: fillOpacity, outlineOnly: false }, words);
  const outline = new Uint32Array(words.length);
  renderOverlay(mask, whole, { color, opacity: 1, outlineOnly: true }, outline);
  for (let i = 0; i < words.length; i++) if (outline[i]) words[i] = outline[i];
  context.putImageData(image, 0, 0);
}
