import { decodeGreyPng, encodeGreyPng } from '@lesionlab/platform';

/** How a 16-bit slice's stored values become Hounsfield units. */
export interface StoredValueScale {
  width: number;
  height: number;
  /** 1 when the stored values are int16. */
  pixelRepresentation: number;
  rescaleSlope: number;
  rescaleIntercept: number;
}

const HU_OFFSET = 32768;

/**
 * A stored 16-bit slice PNG (raw stored values) as the PNG the trainer reads: 16-bit, HU + 32768
 * (release-manifest.schema.json), clamped to what 16 bits hold.
 */
export async function toHounsfieldPng(storedPng: Buffer, scale: StoredValueScale): Promise<Buffer> {
  const stored = await decodeGreyPng(storedPng, 16);
  const out = Buffer.alloc(scale.width * scale.height * 2);
  for (let i = 0; i < scale.width * scale.height; i++) {
    const value = scale.pixelRepresentation === 1 ? stored.readInt16LE(i * 2) : stored.readUInt16LE(i * 2);
    const hu = Math.round(value * scale.rescaleSlope + scale.rescaleIntercept);
    out.writeUInt16LE(Math.min(65535, Math.max(0, hu + HU_OFFSET)), i * 2);
  }
  return encodeGreyPng({ width: scale.width, height: scale.height, bitDepth: 16, pixelRepresentation: 0, data: out });
}
