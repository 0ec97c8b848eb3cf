import { encodeCocoRle, type BinaryMask } from '@lesionlab/mask';
import { greyImage16 } from '@lesionlab/platform';
import type { DecodeLimits } from '../../pixels/decode-limits';
import { readNiftiVolume, type NiftiVolume } from '../../pixels/nifti-volume';
import { layOutSlice, sliceLayout, type SliceLayout } from '../../pixels/volume-orientation';
import { baseName, stemOf } from '../file-names';
import type { ImportContext, ImportedSlice, Importer, ImportPlan } from '../imported-slice';
import type { SourceTree } from '../source-tree';

const NIFTI_FILE = /\.nii(\.gz)?$/i;

/**
 * Values that fit 16 bits (u/int8, u/int16) are stored as they are, with the header's
 * scl_slope/scl_inter as the rescale; other types are rescaled to Hounsfield units and rounded to int16.
 */
function storage(volume: NiftiVolume): { signed: boolean; convert: ((v: number) => number) | null } {
  if (volume.fits16) return { signed: volume.fits16 === 'signed', convert: null };
  return { signed: true, convert: (v) => Math.max(-32768, Math.min(32767, Math.round(v * volume.slope + volume.intercept))) };
}

function sliceOf(volume: NiftiVolume, k: number, layout: SliceLayout, signed: boolean, convert: ((v: number) => number) | null) {
  const values = signed ? new Int16Array(volume.nx * volume.ny) : new Uint16Array(volume.nx * volume.ny);
  const read = convert ? (i: number, j: number) => convert(volume.voxel(i, j, k)) : (i: number, j: number) => volume.voxel(i, j, k);
  const { width, height } = layOutSlice(volume.nx, volume.ny, layout, read, values);
  return greyImage16(width, height, values);
}

function maskOf(labels: NiftiVolume, k: number, layout: SliceLayout): BinaryMask {
  const data = new Uint8Array(labels.nx * labels.ny);
  const { width, height } = layOutSlice(labels.nx, labels.ny, layout, (i, j) => (labels.voxel(i, j, k) > 0 ? 1 : 0), data);
  return { width, height, data };
}

async function readLabelNiftiVolume(masks: SourceTree, file: string, volume: NiftiVolume, limits: DecodeLimits): Promise<NiftiVolume> {
  const labels = await readNiftiVolume(await masks.read(file), limits);
  if (labels.nx !== volume.nx || labels.ny !== volume.ny || labels.nz !== volume.nz) {
    throw new Error(`its label volume ${file} is ${labels.nx}x${labels.ny}x${labels.nz}, the image ${volume.nx}x${volume.ny}x${volume.nz}`);
  }
  return labels;
}

/** NIfTI volumes (.nii, .nii.gz), one scan each, split into axial slices; label volumes of the same name hold the masks. */
export class NiftiImporter implements Importer {
  readonly format = 'nifti' as const;

  async plan({ tree, masks, options, limits }: ImportContext): Promise<ImportPlan> {
    const maskFiles = masks ? new Map((await masks.listFiles()).filter((f) => NIFTI_FILE.test(f)).map((f) => [baseName(f), f])) : new Map<string, string>();
    const files = await tree.listFiles();
    return {
      failures: [],
      units: files
        .filter((file) => NIFTI_FILE.test(file))
        .map((file) => ({
          file,
          load: async (): Promise<ImportedSlice[]> => {
            const volume = await readNiftiVolume(await tree.read(file), limits);
            const maskFile = maskFiles.get(baseName(file));
            const labels = masks && maskFile ? await readLabelNiftiVolume(masks, maskFile, volume, limits) : null;
            const layout = sliceLayout(volume.affine);
            const { signed, convert } = storage(volume);
            const pix = [0, ...volume.spacing];
            const pixelSpacing: [number, number] = layout.transpose ? [pix[1], pix[2]] : [pix[2], pix[1]];
            const stem = stemOf(file);
            return Array.from({ length: volume.nz }, (_, k) => ({
              patient: { externalId: options.patient ?? stem },
              scan: {
                seriesKey: stem,
                sliceSpacingMm: pix[3] > 0 ? pix[3] : null,
                pixelSpacingMm: pixelSpacing.every((v) => v > 0) ? pixelSpacing : null,
                metadata: { file, description: volume.description || undefined },
              },
              sliceIndex: k,
              image: sliceOf(volume, k, layout, signed, convert),
              rescaleSlope: convert ? 1 : volume.slope,
              rescaleIntercept: convert ? 0 : volume.intercept,
              window: null,
              original: null,
              sourceName: `${file}#${k}`,
              mask: labels ? encodeCocoRle(maskOf(labels, k, layout)) : null,
            }));
          },
        })),
    };
  }
}
