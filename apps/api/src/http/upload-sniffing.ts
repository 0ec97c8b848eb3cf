import sharp from 'sharp';

/** The largest image an upload may hold (a CT slice is 512², a big scan 4096²). */
const MAX_PIXELS = 8192 * 8192;
const IMAGE = /\.(png|jpe?g|tiff?|bmp|webp)$/i;
const TEXT = /\.(csv|tsv|txt|json)$/i;

function isNifti(bytes: Buffer): boolean {
  if (bytes.length < 352) return false;
  return [348, 540].some((size) => bytes.readInt32LE(0) === size || bytes.readInt32BE(0) === size);
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks an uploaded file by its content, not its name or declared type: an image must decode
 * (within MAX_PIXELS), a NIfTI must carry its header, a DICOM its DICM marker, a gzip its magic,
 * a CSV or JSON must be UTF-8. Returns what is wrong, or null.
 */
export async function sniffUpload(name: string, bytes: Buffer): Promise<string | null> {
  if (IMAGE.test(name)) {
    try {
      const { width = 0, height = 0 } = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
      if (!width || !height) return `"${name}" has no image dimensions`;
      await sharp(bytes, { limitInputPixels: MAX_PIXELS }).raw().toBuffer();
      return null;
    } catch (error) {
      return `"${name}" is not an image that decodes (${(error as Error).message})`;
    }
  }
  if (/\.gz$/i.test(name)) return bytes[0] === 0x1f && bytes[1] === 0x8b ? null : `"${name}" is not gzip data`;
  if (/\.nii$/i.test(name)) return isNifti(bytes) ? null : `"${name}" has no NIfTI header`;
  if (/\.dcm$/i.test(name) || !/\.[^/]+$/.test(name)) return bytes.subarray(128, 132).toString('latin1') === 'DICM' ? null : `"${name}" has no DICOM marker (DICM at byte 128)`;
  if (TEXT.test(name)) return isUtf8(bytes) ? null : `"${name}" is not valid UTF-8 text`;
  return `"${name}" is not a supported file type (images, .nii, .nii.gz, .dcm, .csv, .json)`;
}
