import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import sharp from 'sharp';

const IMAGE = /\.(png|jpe?g|tiff?|bmp|webp)$/i;
const TEXT = /\.(csv|tsv|txt|json)$/i;
/** Enough of a file for every marker checked here (the NIfTI header is the longest). */
const HEAD_BYTES = 352;

function isNifti(head: Buffer): boolean {
  if (head.length < HEAD_BYTES) return false;
  return [348, 540].some((size) => head.readInt32LE(0) === size || head.readInt32BE(0) === size);
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.open(file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Whether a file is valid UTF-8, read piece by piece (a multibyte character may span two pieces). */
async function isUtf8(file: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return false;
    throw error;
  }
}

/** An image's problem: it must decode, and its header must declare at most `maxPixels` (IMPORT_MAX_SLICE_PIXELS). */
async function imageProblem(name: string, file: string, maxPixels: number): Promise<string | null> {
  try {
    const { width = 0, height = 0 } = await sharp(file, { limitInputPixels: false }).metadata();
    if (!width || !height) return `"${name}" has no image dimensions`;
    if (width * height > maxPixels) return `"${name}" is ${width}x${height} pixels, over IMPORT_MAX_SLICE_PIXELS (${maxPixels})`;
    await sharp(file, { limitInputPixels: maxPixels }).raw().toBuffer();
    return null;
  } catch (error) {
    return `"${name}" is not an image that decodes (${(error as Error).message})`;
  }
}

/**
 * Checks an uploaded file (staged on disk) by its content, not its name or declared type: an image
 * must decode within `maxPixels`, a NIfTI must carry its header, a DICOM its DICM marker, a gzip its
 * magic, a CSV or JSON must be UTF-8. Reads only what it checks. Returns what is wrong, or null.
 */
export async function sniffUpload(name: string, file: string, maxPixels: number): Promise<string | null> {
  if (IMAGE.test(name)) return imageProblem(name, file, maxPixels);
  if (TEXT.test(name)) return (await isUtf8(file)) ? null : `"${name}" is not valid UTF-8 text`;
  const head = await readHead(file);
  if (/\.gz$/i.test(name)) return head[0] === 0x1f && head[1] === 0x8b ? null : `"${name}" is not gzip data`;
  if (/\.nii$/i.test(name)) return isNifti(head) ? null : `"${name}" has no NIfTI header`;
  if (/\.dcm$/i.test(name) || !/\.[^/]+$/.test(name)) return head.subarray(128, 132).toString('latin1') === 'DICM' ? null : `"${name}" has no DICOM marker (DICM at byte 128)`;
  return `"${name}" is not a supported file type (images, .nii, .nii.gz, .dcm, .csv, .json)`;
}
