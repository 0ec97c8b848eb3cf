'use client';

import { useEffect, useRef } from 'react';
import type { CocoRle } from '@lesionlab/contracts';
import { decodeCocoRle, maskArea } from '@lesionlab/mask';
import { renderOverlay } from '../../lib/editor/overlay-render';
import type { SlicePixels } from '../../lib/editor/slice-pixels';
import { buildDisplayLut, renderGrayscale, type DisplayWindow } from '../../lib/editor/window-level';

/** A still picture of a slice with one mask over it (conflict view, review). */
export function MaskPreview({ pixels, window, rle, color, label, testId }: { pixels: SlicePixels; window: DisplayWindow; rle: CocoRle | null; color: number; label: string; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const mask = rle ? decodeCocoRle(rle) : null;
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    element.width = pixels.width;
    element.height = pixels.height;
    const context = element.getContext('2d')!;
    const gray = context.createImageData(pixels.width, pixels.height);
    renderGrayscale(pixels, buildDisplayLut(pixels, window), new Uint32Array(gray.data.buffer));
    context.putImageData(gray, 0, 0);
    if (!rle) return;
    const overlay = new ImageData(pixels.width, pixels.height);
    renderOverlay(decodeCocoRle(rle), { x: 0, y: 0, width: pixels.width, height: pixels.height }, { color, opacity: 0.5, outlineOnly: false }, new Uint32Array(overlay.data.buffer));
    const layer = new OffscreenCanvas(pixels.width, pixels.height);
    layer.getContext('2d')!.putImageData(overlay, 0, 0);
    context.drawImage(layer, 0, 0);
  }, [pixels, window, rle, color]);
  return (
    <figure className="mask-preview" data-testid={testId}>
      <canvas ref={canvas} />
      <figcaption>
        {label} · <span data-testid={`${testId}-area`}>{mask ? maskArea(mask) : 0}</span> px
      </figcaption>
    </figure>
  );
}
