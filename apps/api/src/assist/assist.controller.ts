import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, ServiceUnavailableException } from '@nestjs/common';
import { assistPrepareSchema, assistRequestSchema, type AssistModelList, type AssistPrompt, type AssistResponse } from '@lesionlab/contracts';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { AssistModels, AssistModelUnavailableError, UnknownAssistModelError } from './assist-models';
import { AssistService, SliceNotFoundError } from './assist.service';
import { InvalidPromptError } from './draft-mask';

/** AI assist in the editor: LiteMedSAM draws a draft mask from a box (and points). */
@Controller()
export class AssistController {
  constructor(
    private readonly assist: AssistService,
    private readonly models: AssistModels,
  ) {}

  @Post('slices/:id/assist')
  @HttpCode(200)
  draft(@Param('id', ParseUUIDPipe) sliceId: string, @Body(new ZodValidationPipe(assistRequestSchema)) prompt: AssistPrompt): Promise<AssistResponse> {
    return this.assist.draft(sliceId, prompt).catch(asHttpError);
  }

  /** Computes the slice's image embedding now, so that the first box answers at decoder speed. */
  @Post('slices/:id/assist/prepare')
  @HttpCode(204)
  async prepare(@Param('id', ParseUUIDPipe) sliceId: string, @Body(new ZodValidationPipe(assistPrepareSchema)) body: { model: string }): Promise<void> {
    await this.assist.prepare(sliceId, body.model).catch(asHttpError);
  }

  @Get('assist/models')
  async list(): Promise<AssistModelList> {
    return { items: await this.models.list() };
  }
}

function asHttpError(error: unknown): never {
  if (error instanceof InvalidPromptError) throw new BadRequestException(error.message);
  if (error instanceof SliceNotFoundError || error instanceof UnknownAssistModelError) throw new NotFoundException(error.message);
  if (error instanceof AssistModelUnavailableError) throw new ServiceUnavailableException(error.message);
  throw error;
}
