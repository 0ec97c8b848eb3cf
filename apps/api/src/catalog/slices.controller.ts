import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PIXELS_MEDIA_TYPE, sliceFacetQuerySchema, sliceQuerySchema, type SliceDetail, type SliceFacets, type SlicePage, type SliceQuery } from '@lesionlab/contracts';
import { SlicePixelsService, SlicesRepository } from '@lesionlab/catalog';
import { CONFIG, type Config } from '@lesionlab/platform';
import { sendStream } from '../http/send-stream';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

@Controller('slices')
export class SlicesController {
  constructor(
    private readonly slices: SlicesRepository,
    private readonly pixels: SlicePixelsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Slices matching the filters, one keyset page at a time: pass `nextCursor` back as `cursor`. */
  @Get()
  async list(@Query(new ZodValidationPipe(sliceQuerySchema)) query: SliceQuery): Promise<SlicePage> {
    const { rows, nextCursor } = await this.slices.list(query);
    const items = await Promise.all(rows.map(async ({ thumbnailBlob, ...row }) => ({ ...row, thumbnailUrl: await this.thumbnailUrl(row.id, thumbnailBlob) })));
    return { items, nextCursor };
  }

  /** Counts per supervision kind, cohort and review state under the same filters as the list. */
  @Get('facets')
  async facets(@Query(new ZodValidationPipe(sliceFacetQuerySchema)) query: Omit<SliceQuery, 'sort' | 'limit' | 'cursor'>): Promise<SliceFacets> {
    return this.slices.facets(query);
  }

  @Get(':id')
  async detail(@Param('id', new ParseUUIDPipe()) id: string): Promise<SliceDetail> {
    const row = await this.slices.detail(id);
    if (!row) throw new NotFoundException(`No slice ${id}`);
    return {
      id: row.id,
      patientId: row.patientId,
      patientExternalId: row.patientExternalId,
      collection: row.collection,
      scanId: row.scanId,
      sliceIndex: row.sliceIndex,
      width: row.width,
      height: row.height,
      bitDepth: row.bitDepth,
      pixelRepresentation: row.pixelRepresentation,
      rescaleSlope: row.rescaleSlope,
      rescaleIntercept: row.rescaleIntercept,
      defaultWindow: row.windowCenter !== null && row.windowWidth !== null ? { center: row.windowCenter, width: row.windowWidth } : null,
      pixelSpacingMm: row.pixelSpacingMm && row.pixelSpacingMm.length === 2 ? [row.pixelSpacingMm[0], row.pixelSpacingMm[1]] : null,
      cohort: row.cohort,
      supervision: row.supervision,
      sourceName: row.sourceName,
      importId: row.importId,
      // Stored pixels are PNG; the raw format the editor reads is decoded by the API on either driver.
      pixelsUrl: this.apiUrl(`/api/slices/${row.id}/pixels`),
      thumbnailUrl: await this.thumbnailUrl(row.id, row.thumbnailBlob),
      previousSliceId: row.previousSliceId,
      nextSliceId: row.nextSliceId,
      createdAt: new Date(row.createdAt).toISOString(),
    };
  }

  /** The stored values, row-major little-endian (see PIXELS_MEDIA_TYPE), with the facts needed to read them in headers. */
  @Get(':id/pixels')
  async rawPixels(@Param('id', new ParseUUIDPipe()) id: string, @Res() response: Response): Promise<void> {
    const row = await this.slices.detail(id);
    if (!row) throw new NotFoundException(`No slice ${id}`);
    const data = await this.pixels.rawPixels(row.pixelBlob, row.bitDepth);
    response.setHeader('Content-Type', PIXELS_MEDIA_TYPE);
    response.setHeader('X-Image-Width', String(row.width));
    response.setHeader('X-Image-Height', String(row.height));
    response.setHeader('X-Bit-Depth', String(row.bitDepth));
    response.setHeader('X-Pixel-Representation', String(row.pixelRepresentation));
    response.setHeader('Cache-Control', 'private, max-age=3600, immutable');
    response.setHeader('ETag', `"${row.pixelBlob}"`);
    response.end(data);
  }

  @Get(':id/thumbnail')
  async thumbnail(@Param('id', new ParseUUIDPipe()) id: string, @Res() response: Response): Promise<void> {
    const row = await this.slices.detail(id);
    if (!row?.thumbnailBlob) throw new NotFoundException(`No thumbnail for slice ${id}`);
    const stream = await this.pixels.blob(row.thumbnailBlob);
    response.setHeader('Content-Type', 'image/png');
    response.setHeader('Cache-Control', 'private, max-age=3600, immutable');
    await sendStream(stream, response, `the thumbnail of slice ${id}`);
  }

  private async thumbnailUrl(id: string, blob: string | null): Promise<string | null> {
    if (!blob) return null;
    return (await this.pixels.presigned(blob)) ?? this.apiUrl(`/api/slices/${id}/thumbnail`);
  }

  private apiUrl(path: string): string {
    return new URL(path, this.config.PUBLIC_API_URL).toString();
  }
}
