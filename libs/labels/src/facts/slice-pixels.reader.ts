import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { PIXELS_MEDIA_TYPE } from '@lesionlab/contracts';
import { decodeGreyPng, OBJECT_STORAGE, readStream, type ObjectStorage } from '@lesionlab/platform';
import type { SliceIntensities } from './lung-field';

/** What is needed to read a slice's pixels: its blob and how its values are stored. */
export interface SlicePixelSource {
  pixelBlob: string;
  storageKey: string;
  mediaType: string;
  width: number;
  height: number;
  bitDepth: number;
  pixelRepresentation: number;
  rescaleSlope: number;
  rescaleIntercept: number;
}

/** CT values outside this range (padding at -2048/-3024, bone, metal) would pull the air/tissue threshold away. */
const HU_RANGE: [number, number] = [-1024, 400];

/**
 * Reads a slice's pixel blob from object storage as intensities: raw stored values (PIXELS_MEDIA_TYPE,
 * or the catalog's grey PNGs — 16-bit ones decoded with all their bits), rescaled to HU for 16-bit, or
 * any other image sharp decodes (as 8-bit grey).
 * Returns null when the image does not match the slice's size.
 */
@Injectable()
export class SlicePixelsReader {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async read(source: SlicePixelSource): Promise<SliceIntensities | null> {
    const bytes = await readStream(await this.storage.get(source.storageKey));
    const values =
      source.mediaType === PIXELS_MEDIA_TYPE
        ? rawValues(bytes, source)
        : source.mediaType === 'image/png' && (source.bitDepth === 8 || source.bitDepth === 16)
          ? rawValues(await decodeGreyPng(bytes, source.bitDepth), source)
          : await decodedValues(bytes, source);
    return values && { width: source.width, height: source.height, values };
  }

  /** Intensities from stored values already in memory (row-major, little-endian). */
  fromStoredValues(bytes: Buffer, source: SlicePixelSource): SliceIntensities | null {
    const values = rawValues(bytes, source);
    return values && { width: source.width, height: source.height, values };
  }
}

function rawValues(bytes: Buffer, source: SlicePixelSource): Float32Array | null {
  const count = source.width * source.height;
  if (source.bitDepth === 8) return bytes.length === count ? Float32Array.from(bytes) : null;
  if (bytes.length !== count * 2) return null;
  const values = new Float32Array(count);
  const [low, high] = HU_RANGE;
  for (let i = 0; i < count; i++) {
    const stored = source.pixelRepresentation === 1 ? bytes.readInt16LE(i * 2) : bytes.readUInt16LE(i * 2);
    values[i] = Math.min(high, Math.max(low, stored * source.rescaleSlope + source.rescaleIntercept));
  }
  return values;
}

async function decodedValues(bytes: Buffer, source: SlicePixelSource): Promise<Float32Array | null> {
  const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== source.width || info.height !== source.height || info.channels !== 1) return null;
  return Float32Array.from(data);
}
