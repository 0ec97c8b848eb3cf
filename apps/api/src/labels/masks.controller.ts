import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { maskHistoryQuerySchema, maskQuerySchema, saveMaskSchema, type InterpolationSources, type MaskFacts, type MaskRevision, type SaveMask } from '@lesionlab/contracts';
import { InterpolationSourcesQuery, MaskRevisionsQuery, NotFoundError, SaveMaskUseCase } from '@lesionlab/labels';
import { auditEntryOf, markAudited } from '../audit/audit.interceptor';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { entityTag, preconditionOf } from './precondition-headers';
import { RequestAuthor } from './request-author.decorator';
import { visibleTo } from '../auth/draft-visibility';
import { CurrentUser, type Principal } from '../auth/principal';

/** A save's success status. */
const SAVED = 201;

@Controller()
export class MasksController {
  constructor(
    private readonly query: MaskRevisionsQuery,
    private readonly saveMask: SaveMaskUseCase,
    private readonly interpolation: InterpolationSourcesQuery,
  ) {}

  /** The requester's current revision (newest non-draft, or their own newest draft), or `?revision=`. */
  @Get('slices/:id/mask')
  async current(
    @Param('id', ParseUUIDPipe) sliceId: string,
    @Query(new ZodValidationPipe(maskQuerySchema)) query: z.infer<typeof maskQuerySchema>,
    @CurrentUser() viewer: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MaskRevision> {
    if (query.revision) {
      const revision = await this.query.ofSlice(sliceId, query.revision);
      if (!visibleTo(viewer, revision)) throw new NotFoundError(`slice ${sliceId} has no mask revision ${query.revision}`);
      response.setHeader('ETag', entityTag(revision.revisionId));
      return revision;
    }
    const revision = await this.query.current(sliceId, query.class, viewer.email);
    if (!revision) throw new NotFoundError(`slice ${sliceId} has no ${query.class} mask yet`);
    response.setHeader('ETag', entityTag(revision.revisionId));
    return revision;
  }

  @Get('slices/:id/mask/revisions')
  async history(
    @Param('id', ParseUUIDPipe) sliceId: string,
    @Query(new ZodValidationPipe(maskHistoryQuerySchema)) query: z.infer<typeof maskHistoryQuerySchema>,
    @CurrentUser() viewer: Principal,
  ): Promise<{ items: MaskRevision[] }> {
    return { items: (await this.query.history(sliceId, query.class)).filter((revision) => visibleTo(viewer, revision)) };
  }

  /** The nearest masked slices on either side within reach, and the slices between, for the editor's interpolation drafts. */
  @Get('slices/:id/mask/interpolation')
  interpolationSources(
    @Param('id', ParseUUIDPipe) sliceId: string,
    @Query(new ZodValidationPipe(maskHistoryQuerySchema)) query: z.infer<typeof maskHistoryQuerySchema>,
    @CurrentUser() viewer: Principal,
  ): Promise<InterpolationSources> {
    return this.interpolation.around(sliceId, query.class, viewer.email);
  }

  /**
   * 201 with the new revision's ETag; 409 (current and kept draft in the body) when the base is stale.
   * A 201's audit entry is appended by the save itself, in its transaction (one round trip in all);
   * every other outcome is recorded by the audit interceptor as usual.
   */
  @Put('slices/:id/mask')
  @HttpCode(SAVED)
  async save(
    @Param('id', ParseUUIDPipe) sliceId: string,
    @Body(new ZodValidationPipe(saveMaskSchema)) body: SaveMask,
    @RequestAuthor() author: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MaskRevision> {
    const precondition = preconditionOf(request);
    const audit = auditEntryOf(request, SAVED);
    const revision = await this.saveMask.execute({ sliceId, class: body.class, rle: body.rle, state: body.state, author, precondition, audit, origin: body.origin, activeSeconds: body.activeSeconds });
    markAudited(request);
    response.setHeader('ETag', entityTag(revision.revisionId));
    return revision;
  }

  @Get('revisions/:id/facts')
  facts(@Param('id', ParseUUIDPipe) revisionId: string): Promise<MaskFacts> {
    return this.query.facts(revisionId);
  }
}
