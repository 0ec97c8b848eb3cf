import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { changeModelStageSchema, evaluateModelSchema, predictSchema, type ChangeModelStage, type EvaluateModel, type Evaluation, type Model, type PredictionBatch, type PredictRequest } from '@lesionlab/contracts';
import { blobKey, OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import { ModelsService } from '@lesionlab/training';
import { sendStream } from '../http/send-stream';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { httpError } from './training-errors';

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
    return this.models.get(id).catch(httpError);
  }

  @Patch('models/:id')
  setStage(@Param('id', ParseUUIDPipe) id: string, @Body(new ZodValidationPipe(changeModelStageSchema)) body: ChangeModelStage): Promise<Model> {
    return this.models.setStage(id, body).catch(httpError);
  }

  @Post('models/:id/evaluate')
  @HttpCode(202)
  evaluate(@Param('id', ParseUUIDPipe) id: string, @Body(new ZodValidationPipe(evaluateModelSchema)) body: EvaluateModel): Promise<Evaluation> {
    return this.models.evaluate(id, body).catch(httpError);
  }

  /** Predicts a catalog selection: each slice gets a `model`-authored draft mask revision. */
  @Post('models/:id/predict')
  @HttpCode(202)
  predict(@Param('id', ParseUUIDPipe) id: string, @Body(new ZodValidationPipe(predictSchema)) body: PredictRequest): Promise<PredictionBatch> {
    return this.models.predict(id, body).catch(httpError);
  }

  @Get('evaluations/:id')
  evaluation(@Param('id', ParseUUIDPipe) id: string): Promise<Evaluation> {
    return this.models.evaluation(id).catch(httpError);
  }

  /**
   * The evaluation's n-th overlay (PNG): the trainer's worst pixel-supervised slices by dice, worst
   * first, the true mask and the prediction drawn over the image.
   */
  @Get('evaluations/:id/overlays/:index')
  async overlay(@Param('id', ParseUUIDPipe) id: string, @Param('index', ParseIntPipe) index: number, @Res() response: Response): Promise<void> {
    const evaluation = await this.models.evaluation(id).catch(httpError);
    const sha256 = evaluation.overlays[index];
    if (!sha256) throw new NotFoundException(`evaluation ${id} has no overlay ${index}`);
    response.setHeader('Content-Type', 'image/png');
    response.setHeader('Cache-Control', 'private, max-age=3600');
    await sendStream(await this.storage.get(blobKey(sha256)), response, `overlay ${index} of evaluation ${id}`);
  }

  @Get('predictions/:id')
  prediction(@Param('id', ParseUUIDPipe) id: string): Promise<PredictionBatch & { outputs: unknown[] }> {
    return this.models.batch(id).catch(httpError);
  }
}
