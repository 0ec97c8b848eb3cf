import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { reviewDecisionSchema, reviewQueueQuerySchema, type LabelRevision, type MaskRevision, type ReviewDecision, type ReviewQueueItem } from '@lesionlab/contracts';
import { ReviewQueueQuery, ReviewUseCase } from '@lesionlab/labels';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { RequestAuthor } from './request-author.decorator';

@Controller()
export class ReviewController {
  constructor(
    private readonly queue: ReviewQueueQuery,
    private readonly review: ReviewUseCase,
  ) {}

  @Get('review/queue')
  async list(@Query(new ZodValidationPipe(reviewQueueQuerySchema)) query: z.infer<typeof reviewQueueQuerySchema>): Promise<{ items: ReviewQueueItem[] }> {
    return { items: await this.queue.list(query.limit) };
  }

  /** 201 with the approved revision (a new one: the submission itself never changes). */
  @Post('revisions/:id/approve')
  @HttpCode(201)
  approve(
    @Param('id', ParseUUIDPipe) revisionId: string,
    @Body(new ZodValidationPipe(reviewDecisionSchema)) body: ReviewDecision,
    @RequestAuthor() reviewer: string,
  ): Promise<MaskRevision | LabelRevision> {
    return this.review.execute({ revisionId, action: 'approve', reviewer, comment: body.comment ?? null });
  }

  /** A rejection must say why: 400 without a comment. */
  @Post('revisions/:id/reject')
  @HttpCode(201)
  reject(
    @Param('id', ParseUUIDPipe) revisionId: string,
    @Body(new ZodValidationPipe(reviewDecisionSchema)) body: ReviewDecision,
    @RequestAuthor() reviewer: string,
  ): Promise<MaskRevision | LabelRevision> {
    if (!body.comment) throw new BadRequestException('comment: a rejection needs a comment saying what to fix');
    return this.review.execute({ revisionId, action: 'reject', reviewer, comment: body.comment });
  }
}
