import type { BinaryMask } from '@lesionlab/mask';
import type { Rect } from './rect';

export interface OverlayStyle {
  /** RGB as 0xRRGGBB. */
  color: number;
  /** 0–1. */
  opacity: number;
  /** Draw only the mask's border pixels. */
  outlineOnly: boolean;
}

/**
 * Writes the overlay pixels of `rect` into `out`, a Uint32Array view of a mask-sized RGBA ImageData:
 * the mask colour where shown, transparent elsewhere. In outline mode a pixel is shown when it is in
 * the mask and one of its 4 neighbours is not (callers grow the rectangle by a pixel so borders follow).
 */
export function renderOverlay(mask: BinaryMask, rect: Rect, style: OverlayStyle, out: Uint32Array): void {
  const { width, height, data } = mask;
  const alpha = Math.round(Math.max(0, Math.min(1, style.outlineOnly ? 1 : style.opacity)) * 255);
  const r = (style.color >> 16) & 0xff;
  const g = (style.color >> 8) & 0xff;
  const b = style.color & 0xff;
  const shown = ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const row = y * width;
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const i = row + x;
      let on = data[i] === 1;
      if (on && style.outlineOnly) {
        on = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !data[i - 1] || !data[i + 1] || !data[i - width] || !data[i + width];
      }
      out[i] = on ? shown : 0;
    }
  }
}
