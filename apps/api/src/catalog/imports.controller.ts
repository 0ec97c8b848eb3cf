import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, UploadedFiles, UseInterceptors } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { importListQuerySchema, importOptionsSchema, IMPORT_FORMATS, startImportSchema, type ImportFailure, type ImportPage, type ImportRun } from '@lesionlab/contracts';
import { ImportsRepository, ImportsService, toImportRun } from '@lesionlab/catalog';
import { CONFIG, OBJECT_STORAGE, type Config, type ObjectStorage } from '@lesionlab/platform';
import { sniffUpload } from '../http/upload-sniffing';
import { StagedUploadInterceptor, type StagedFile } from '../http/upload-staging';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

const uploadFieldsSchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  options: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(importOptionsSchema),
});

/** A file's path inside an upload, as the client named it: relative, no '..'. */
function uploadPath(name: string): string {
  const parts = name.split(/[\\/]/).filter((part) => part && part !== '.');
  if (!parts.length || parts.includes('..')) throw new BadRequestException(`files: "${name}" is not a relative file name`);
  return parts.join('/');
}

@Controller('imports')
export class ImportsController {
  constructor(
    private readonly service: ImportsService,
    private readonly imports: ImportsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /**
   * Starts an import. JSON: `{format, source: {kind: 'path', path} | {kind: 's3', prefix}, options}`.
   * multipart/form-data: fields `format` and `options` (JSON) and the files (their names may hold relative paths),
   * streamed to a staging folder on disk (at most IMPORT_UPLOAD_LIMIT_MB in all, else 413).
   */
  @Post()
  @HttpCode(202)
  @UseInterceptors(StagedUploadInterceptor)
  async start(@Req() request: Request, @Body() body: unknown, @UploadedFiles() files: StagedFile[] | undefined): Promise<ImportRun> {
    if (request.is('multipart/form-data')) return await this.upload(new ZodValidationPipe(uploadFieldsSchema).transform(body), files ?? []);
    return await this.service.start(new ZodValidationPipe(startImportSchema).transform(body));
  }

  @Get()
  async list(@Query(new ZodValidationPipe(importListQuerySchema)) query: z.infer<typeof importListQuerySchema>): Promise<ImportPage> {
    const { rows, nextCursor } = await this.imports.list(query.limit, query.cursor);
    return { items: rows.map(toImportRun), nextCursor };
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ImportRun> {
    const row = await this.imports.get(id);
    if (!row) throw new NotFoundException(`No import ${id}`);
    return toImportRun(row);
  }

  /**
   * Checks every staged file (names, then contents) before storing any. A file whose content is not
   * what its name says is not stored: it becomes a failure of the import, with its reason, and the
   * rest imports; an upload with no acceptable file is refused and leaves nothing behind.
   */
  private async upload(fields: z.infer<typeof uploadFieldsSchema>, files: StagedFile[]): Promise<ImportRun> {
    if (!files.length) throw new BadRequestException('files: an upload needs at least one file');
    const keys = files.map((file) => uploadPath(file.originalname));
    const accepted: number[] = [];
    const refused: ImportFailure[] = [];
    for (const [i, file] of files.entries()) {
      const problem = await sniffUpload(file.originalname, file.path, this.config.IMPORT_MAX_SLICE_PIXELS);
      if (problem) refused.push({ file: keys[i], reason: problem });
      else accepted.push(i);
    }
    if (!accepted.length) throw new BadRequestException(`files: ${refused.map((failure) => failure.reason).join('; ')}`);
    const prefix = `uploads/${randomUUID()}`;
    for (const i of accepted) await this.storage.put(`${prefix}/${keys[i]}`, createReadStream(files[i].path), { contentType: files[i].mimetype });
    return this.service.start({ format: fields.format, source: { kind: 's3', prefix }, options: fields.options }, refused);
  }
}
