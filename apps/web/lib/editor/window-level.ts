import type { SlicePixels } from './slice-pixels';

/** A display window in modality units (HU for CT): values below center − width/2 are black, above center + width/2 white. */
export interface DisplayWindow {
  center: number;
  width: number;
}

export const WINDOW_PRESETS = {
  lung: { label: 'Lung', window: { center: -600, width: 1500 } },
  mediastinum: { label: 'Mediastinum', window: { center: 40, width: 400 } },
  bone: { label: 'Bone', window: { center: 400, width: 1800 } },
} as const satisfies Record<string, { label: string; window: DisplayWindow }>;

export type WindowPresetName = keyof typeof WINDOW_PRESETS;

/** The whole 0–255 range of an 8-bit source: contrast 1, brightness 0. */
export const FULL_8BIT_WINDOW: DisplayWindow = { center: 128, width: 256 };

const MIN_WIDTH = 1;

/**
 * For 8-bit sources the window is shown as contrast (1 = as stored) and brightness (−255…255, 0 = as
 * stored) on the 0–255 scale; both describe the same window.
 */
export function windowFromContrastBrightness(contrast: number, brightness: number): DisplayWindow {
  return { center: FULL_8BIT_WINDOW.center - brightness, width: Math.max(MIN_WIDTH, FULL_8BIT_WINDOW.width / contrast) };
}

export function contrastBrightnessOf(window: DisplayWindow): { contrast: number; brightness: number } {
  return { contrast: FULL_8BIT_WINDOW.width / window.width, brightness: FULL_8BIT_WINDOW.center - window.center };
}

/** Right-drag adjustment: moving right widens the window, moving down raises its center. */
export function dragWindow(window: DisplayWindow, dx: number, dy: number, unitsPerPixel: number): DisplayWindow {
  return { center: window.center + dy * unitsPerPixel, width: Math.max(MIN_WIDTH, window.width + dx * unitsPerPixel) };
}

/** A look-up table from stored value (shifted by `offset` so that it starts at 0) to a gray level. */
export interface DisplayLut {
  readonly table: Uint8Array;
  readonly offset: number;
}

/** Builds the table for every value the slice's storage can hold: 256 entries for 8-bit, 65,536 for 16-bit. */
export function buildDisplayLut(pixels: Pick<SlicePixels, 'stored' | 'slope' | 'intercept'>, window: DisplayWindow): DisplayLut {
  const signed = pixels.stored instanceof Int16Array;
  const size = pixels.stored instanceof Uint8Array ? 256 : 65536;
  const offset = signed ? 32768 : 0;
  const table = new Uint8Array(size);
  // The linear VOI function of DICOM PS3.3 C.11.2.1.2: ((x − (c − 0.5)) / (w − 1) + 0.5) · 255.
  const shiftedCenter = window.center - 0.5;
  const span = Math.max(MIN_WIDTH, window.width - 1);
  for (let entry = 0; entry < size; entry++) {
    const value = (entry - offset) * pixels.slope + pixels.intercept;
    const gray = ((value - shiftedCenter) / span + 0.5) * 255;
    table[entry] = gray <= 0 ? 0 : gray >= 255 ? 255 : Math.round(gray);
  }
  return { table, offset };
}

/** Writes the windowed slice as opaque gray pixels into `out`, a Uint32Array view of an RGBA ImageData. */
export function renderGrayscale(pixels: SlicePixels, lut: DisplayLut, out: Uint32Array): void {
  const { stored } = pixels;
  const { table, offset } = lut;
  for (let i = 0; i < stored.length; i++) {
    const gray = table[stored[i] + offset];
    // RGBA bytes in memory are little-endian words 0xAABBGGRR.
    out[i] = 0xff000000 | (gray << 16) | (gray << 8) | gray;
  }
}

/** The window a slice opens with: its own, else lung for 16-bit CT and the full range for 8-bit. */
export function initialWindow(bitDepth: 8 | 16, stored: DisplayWindow | null): DisplayWindow {
  if (stored) return stored;
  return bitDepth === 16 ? WINDOW_PRESETS.lung.window : FULL_8BIT_WINDOW;
}
