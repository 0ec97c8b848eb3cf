import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PlatformHealth } from '@lesionlab/platform';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: PlatformHealth) {}

  @Get()
  @ApiOkResponse({ description: 'Database, queue and storage are up ({status, info, error, details}).' })
  @ApiServiceUnavailableResponse({ description: 'At least one component is down; `error` names it.' })
  async check(@Res({ passthrough: true }) response: Response) {
    const report = await this.health.report();
    if (report.status !== 'ok') response.status(503);
    return report;
  }
}
