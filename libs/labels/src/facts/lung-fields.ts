import { Injectable, Logger } from '@nestjs/common';
import { estimateLungField, type LungField } from './lung-field';
import { LruMap } from '../lru-map';
import { SlicePixelsReader, type SlicePixelSource } from './slice-pixels.reader';

/** Lung fields of recently saved slices: each costs a blob read and a labelling pass. */
const CACHE_SIZE = 64;

/**
 * The lung field of a slice, or null when it cannot be had (missing blob, undecodable or odd-sized
 * image, no lungs visible): facts then say "location unknown" instead of failing the save. Pixel
 * blobs are content-addressed and immutable, so a field is cached by the blob's hash.
 */
@Injectable()
export class LungFields {
  private readonly logger = new Logger(LungFields.name);
  private readonly cache = new LruMap<string, Promise<LungField | null>>(CACHE_SIZE);

  constructor(private readonly reader: SlicePixelsReader) {}

  /** `pixels`: the slice's stored values when the caller has them at hand (an importer), else the blob is read. */
  forSlice(source: SlicePixelSource, pixels?: Buffer): Promise<LungField | null> {
    const cached = this.cache.get(source.pixelBlob);
    if (cached) return cached;
    const intensities = pixels ? Promise.resolve(this.reader.fromStoredValues(pixels, source)) : this.reader.read(source);
    const field = intensities.then(
      (intensities) => intensities && estimateLungField(intensities),
      (error: unknown) => {
        // A storage hiccup should not stick: forget the failure so the next save tries again.
        this.cache.delete(source.pixelBlob);
        this.logger.warn(`lung field of blob ${source.pixelBlob} unknown: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      },
    );
    this.cache.set(source.pixelBlob, field);
    return field;
  }
}
