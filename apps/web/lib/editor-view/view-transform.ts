/** Screen position of image pixel (x, y): (x · scale + offsetX, y · scale + offsetY), in viewport pixels. */
export interface ViewTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 40;

/** The whole image centred in the viewport. */
export function fitTransform(imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number): ViewTransform {
  const scale = Math.min(viewWidth / imageWidth, viewHeight / imageHeight);
  return { scale, offsetX: (viewWidth - imageWidth * scale) / 2, offsetY: (viewHeight - imageHeight * scale) / 2 };
}

/** One image pixel per screen pixel, centred. */
export function actualSizeTransform(imageWidth: number, imageHeight: number, viewWidth: number, viewHeight: number): ViewTransform {
  return { scale: 1, offsetX: Math.round((viewWidth - imageWidth) / 2), offsetY: Math.round((viewHeight - imageHeight) / 2) };
}

/** Zooms by `factor` keeping the image point under (screenX, screenY) where it is. */
export function zoomAround(view: ViewTransform, screenX: number, screenY: number, factor: number): ViewTransform {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const imageX = (screenX - view.offsetX) / view.scale;
  const imageY = (screenY - view.offsetY) / view.scale;
  return { scale, offsetX: screenX - imageX * scale, offsetY: screenY - imageY * scale };
}

export function toImage(view: ViewTransform, screenX: number, screenY: number): { x: number; y: number } {
  return { x: (screenX - view.offsetX) / view.scale, y: (screenY - view.offsetY) / view.scale };
}
