import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { evaluateModelSchema, predictSchema, type EvaluateModel, type Evaluation, type Model, type PredictionBatch, type PredictRequest } from '@lesionlab/contracts';
import { ModelsService } from '@lesionlab/training';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { httpError } from './training-errors';

@ApiTags('models')
@Controller()
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get('models')
  async list(): Promise<{ items: Model[] }> {
    return { items: await this.models.list() };
  }

  @Get('models/:id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Model> {
    return this.models.get(id).catch(httpError);
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

  @Get('predictions/:id')
  prediction(@Param('id', ParseUUIDPipe) id: string): Promise<PredictionBatch & { outputs: unknown[] }> {
    return this.models.batch(id).catch(httpError);
  }
}
