import { Injectable } from '@nestjs/common';
import type { AssistPrompt, AssistResponse } from '@lesionlab/contracts';
import { MaskDraftsRepository } from '@lesionlab/labels';

/** Keeps each assist answer as a draft handed to its annotator, so that a save starting from it is measured against what the model drew. */
@Injectable()
export class AssistDrafts {
  constructor(private readonly drafts: MaskDraftsRepository) {}

  async keep(sliceId: string, author: string, prompt: AssistPrompt, answer: Omit<AssistResponse, 'draftId'>): Promise<AssistResponse> {
    const draftId = await this.drafts.recordAssist({ sliceId, author, model: answer.model, prompt: { box: prompt.box, points: prompt.points ?? [] }, rle: answer.rle });
    return { ...answer, draftId };
  }
}
