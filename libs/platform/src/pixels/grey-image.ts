/**
 * A single-channel image as stored: row-major, 1 byte per pixel (8-bit) or 2 bytes little-endian
 * (16-bit, uint16 or int16 by `pixelRepresentation`) — the format of GET /api/slices/:id/pixels.
 */
export interface GreyImage {
  width: number;
  height: number;
  bitDepth: 8 | 16;
  pixelRepresentation: 0 | 1;
  data: Buffer;
}

export function greyImage8(width: number, height: number, data: Buffer): GreyImage {
  if (data.length !== width * height) throw new Error(`expected ${width * height} bytes for ${width}x${height}, got ${data.length}`);
  return { width, height, bitDepth: 8, pixelRepresentation: 0, data };
}

/** Wraps 16-bit stored values (copied into little-endian bytes). */
export function greyImage16(width: number, height: number, values: Int16Array | Uint16Array): GreyImage {
  if (values.length !== width * height) throw new Error(`expected ${width * height} values for ${width}x${height}, got ${values.length}`);
  const data = Buffer.alloc(values.length * 2);
  const signed = values instanceof Int16Array;
  for (let i = 0; i < values.length; i++) {
    if (signed) data.writeInt16LE(values[i], i * 2);
    else data.writeUInt16LE(values[i], i * 2);
  }
  return { width, height, bitDepth: 16, pixelRepresentation: signed ? 1 : 0, data };
}
