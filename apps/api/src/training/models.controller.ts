import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  changeModelStageSchema,
  evaluateModelSchema,
  evaluationOverlayQuerySchema,
  predictSchema,
  type ChangeModelStage,
  type EvaluateModel,
  type Evaluation,
  type EvaluationOverlayQuery,
  type Model,
  type PredictionBatch,
  type PredictRequest,
} from '@lesionlab/contracts';
import { blobKey, OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import { ModelsService } from '@lesionlab/training';
import { sendStream } from '../http/send-stream';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

@Controller()
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  @Get('models')
  async list(): Promise<{ items: Model[] }> {
    return { items: await this.models.list() };
  }

  @Get('models/:id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Model> {
    return this.models.get(id);
  }

  @Patch('models/:id')
  setStage(@Param('id', ParseUUIDPipe) id: string, @Body(new ZodValidationPipe(changeModelStageSchema)) body: ChangeModelStage): Promise<Model> {
    return this.models.setStage(id, body);
  }

  @Post('models/:id/evaluate')
  @HttpCode(202)
  evaluate(@Param('id', ParseUUIDPipe) id: string, @Body(new ZodValidationPipe(evaluateModelSchema)) body: EvaluateModel): Promise<Evaluation> {
    return this.models.evaluate(id, body);
  }

  /** Predicts a catalog selection: each slice gets a `model`-authored draft mask revision. */
  @Post('models/:id/predict')
  @HttpCode(202)
  predict(@Param('id', ParseUUIDPipe) id: string, @Body(new ZodValidationPipe(predictSchema)) body: PredictRequest): Promise<PredictionBatch> {
    return this.models.predict(id, body);
  }

  @Get('evaluations/:id')
  evaluation(@Param('id', ParseUUIDPipe) id: string): Promise<Evaluation> {
    return this.models.evaluation(id);
  }

  /**
   * A drawing (PNG) of the evaluation's n-th worst slice, worst first: its ground truth, the prediction
   * or the evaluated model's Grad-CAM (`kind`), each listed in the evaluation's overlays.
   */
  @Get('evaluations/:id/overlays/:index')
  async overlay(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('index', ParseIntPipe) index: number,
    @Query(new ZodValidationPipe(evaluationOverlayQuerySchema)) query: EvaluationOverlayQuery,
    @Res() response: Response,
  ): Promise<void> {
    const evaluation = await this.models.evaluation(id);
    const overlay = evaluation.overlays[index];
    if (!overlay) throw new NotFoundException(`evaluation ${id} has no overlay ${index} (it has ${evaluation.overlays.length})`);
    const sha256 = overlay.images[query.kind];
    if (!sha256) throw new NotFoundException(`overlay ${index} of evaluation ${id} has no ${query.kind} drawing (it has ${Object.keys(overlay.images).join(', ')})`);
    response.setHeader('Content-Type', 'image/png');
    response.setHeader('Cache-Control', 'private, max-age=3600');
    await sendStream(await this.storage.get(blobKey(sha256)), response, `${query.kind} of overlay ${index} of evaluation ${id}`);
  }

  @Get('predictions/:id')
  prediction(@Param('id', ParseUUIDPipe) id: string): Promise<PredictionBatch & { outputs: unknown[] }> {
    return this.models.batch(id);
  }
}
