import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { SliceSuggestion, WorkQueueNext } from '@lesionlab/contracts';
import { blobKey, OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import { SuggestionsRepository } from '@lesionlab/training';
import { sendStream } from '../http/send-stream';

/** Model suggestions for the annotation editor and the annotators' work queue. */
@Controller()
export class SuggestionsController {
  constructor(
    private readonly suggestions: SuggestionsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  /** The slice's newest model draft (visible to annotators here, unlike other people's drafts). */
  @Get('slices/:id/suggestion')
  async suggestion(@Param('id', ParseUUIDPipe) sliceId: string): Promise<SliceSuggestion> {
    const suggestion = await this.suggestions.suggestion(sliceId);
    if (!suggestion) throw new NotFoundException(`slice ${sliceId} has no model suggestion`);
    return suggestion;
  }

  /** The Grad-CAM heat map of that suggestion, as the trainer wrote it (PNG). */
  @Get('slices/:id/suggestion/gradcam')
  async gradcam(@Param('id', ParseUUIDPipe) sliceId: string, @Res() response: Response): Promise<void> {
    const sha256 = await this.suggestions.gradcamBlob(sliceId);
    if (!sha256) throw new NotFoundException(`slice ${sliceId} has no Grad-CAM map`);
    response.setHeader('Content-Type', 'image/png');
    response.setHeader('Cache-Control', 'private, max-age=300');
    await sendStream(await this.storage.get(blobKey(sha256)), response, `the Grad-CAM map of slice ${sliceId}`);
  }

  @Get('work-queue/next')
  next(): Promise<WorkQueueNext> {
    return this.suggestions.nextForAnnotation();
  }
}
