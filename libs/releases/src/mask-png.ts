import sharp from 'sharp';
import { decodeCocoRle } from '@lesionlab/mask';

/** A mask revision as a single-channel PNG, 255 for lesion, 0 elsewhere: the file the trainer reads. */
export async function renderMaskPng(counts: string, width: number, height: number): Promise<Buffer> {
  const mask = decodeCocoRle({ size: [height, width], counts }, { width, height });
  const grey = Buffer.alloc(width * height);
  for (let i = 0; i < grey.length; i++) if (mask.data[i]) grey[i] = 255;
  return sharp(grey, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
}
