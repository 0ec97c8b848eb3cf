import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { assistPrepareSchema, assistRequestSchema, type AssistModelList, type AssistPrompt, type AssistResponse } from '@lesionlab/contracts';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { RequestAuthor } from '../labels/request-author.decorator';
import { AssistDrafts } from './assist-drafts';
import { AssistModels } from './assist-models';
import { AssistService } from './assist.service';

/** AI assist in the editor: LiteMedSAM draws a draft mask from a box (and points). */
@Controller()
export class AssistController {
  constructor(
    private readonly assist: AssistService,
    private readonly models: AssistModels,
    private readonly drafts: AssistDrafts,
  ) {}

  /** The draft is stored as handed to the requester; its `draftId` goes into the origin of a save that starts from it. */
  @Post('slices/:id/assist')
  @HttpCode(200)
  async draft(@Param('id', ParseUUIDPipe) sliceId: string, @Body(new ZodValidationPipe(assistRequestSchema)) prompt: AssistPrompt, @RequestAuthor() author: string): Promise<AssistResponse> {
    return this.drafts.keep(sliceId, author, prompt, await this.assist.draft(sliceId, prompt));
  }

  /** Computes the slice's image embedding now, so that the first box answers at decoder speed. */
  @Post('slices/:id/assist/prepare')
  @HttpCode(204)
  async prepare(@Param('id', ParseUUIDPipe) sliceId: string, @Body(new ZodValidationPipe(assistPrepareSchema)) body: { model: string }): Promise<void> {
    await this.assist.prepare(sliceId, body.model);
  }

  @Get('assist/models')
  async list(): Promise<AssistModelList> {
    return { items: await this.models.list() };
  }
}
