import { Controller, Get } from '@nestjs/common';
import type { AnnotationStats } from '@lesionlab/contracts';
import { AnnotationStatsQuery } from '@lesionlab/labels';

@Controller('annotation-stats')
export class AnnotationStatsController {
  constructor(private readonly stats: AnnotationStatsQuery) {}

  /** Per draft source (model, interpolation): offered, accepted, edited how much, time per slice; per annotator: slices and time. */
  @Get()
  get(): Promise<AnnotationStats> {
    return this.stats.stats();
  }
}
