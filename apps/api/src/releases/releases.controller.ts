import { Body, ConflictException, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { createReleaseSchema, exportRequestSchema, type CreateRelease, type Release } from '@lesionlab/contracts';
import {
  ReleaseDiffer,
  ReleasesService,
  type ExportFormat,
  type ReleaseDiff,
  type ReleaseExport,
} from '@lesionlab/releases';
import { sendStream } from '../http/send-stream';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

function refuseChange(id: string): never {
  throw new ConflictException(`Release ${id} cannot be changed: releases are immutable; cut a new version with POST /api/releases`);
}

@Controller('releases')
export class ReleasesController {
  constructor(
    private readonly releases: ReleasesService,
    private readonly differ: ReleaseDiffer,
  ) {}

  @Post()
  @HttpCode(202)
  create(@Body(new ZodValidationPipe(createReleaseSchema)) body: CreateRelease): Promise<Release> {
    return this.releases.create(body);
  }

  @Get()
  async list(): Promise<{ items: Release[] }> {
    return { items: await this.releases.list() };
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Release> {
    return this.releases.get(id);
  }

  @Get(':id/manifest')
  async manifest(@Param('id', ParseUUIDPipe) id: string, @Res() response: Response) {
    const release = await this.releases.get(id);
    const stream = await this.releases.manifest(id);
    response.setHeader('Content-Type', 'application/x-ndjson');
    response.setHeader('Content-Disposition', `attachment; filename="${release.name.replace(/[^A-Za-z0-9._-]/g, '_')}-v${release.version}.jsonl"`);
    if (release.digest) response.setHeader('ETag', `"${release.digest}"`);
    await sendStream(stream, response, `the manifest of release ${id}`);
  }

  @Get(':id/diff')
  diff(@Param('id', ParseUUIDPipe) id: string, @Query('to', ParseUUIDPipe) to: string): Promise<ReleaseDiff> {
    return this.differ.diff(id, to);
  }

  @Post(':id/exports')
  @HttpCode(202)
  requestExport(@Param('id', ParseUUIDPipe) id: string, @Body(new ZodValidationPipe(exportRequestSchema)) body: { format: ExportFormat }): Promise<ReleaseExport> {
    return this.releases.requestExport(id, body.format);
  }

  @Get(':id/exports')
  async exports(@Param('id', ParseUUIDPipe) id: string): Promise<{ items: ReleaseExport[] }> {
    return { items: await this.releases.exports(id) };
  }

  @Get(':id/exports/:format/archive')
  async archive(@Param('id', ParseUUIDPipe) id: string, @Param('format', new ZodValidationPipe(exportRequestSchema.shape.format)) format: ExportFormat, @Res() response: Response) {
    const archive = await this.releases.exportArchive(id, format);
    if ('url' in archive) return response.redirect(302, archive.url);
    response.setHeader('Content-Type', 'application/gzip');
    response.setHeader('Content-Disposition', `attachment; filename="release-${id}-${format}.tar.gz"`);
    await sendStream(archive.stream, response, `the ${format} export of release ${id}`);
  }

  @Put(':id')
  replace(@Param('id', ParseUUIDPipe) id: string): never {
    refuseChange(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string): never {
    refuseChange(id);
  }

  @Delete(':id')
  remove(@Param('id', ParseUUIDPipe) id: string): never {
    refuseChange(id);
  }
}
