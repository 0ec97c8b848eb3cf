import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createRunSchema, type CreateRun, type Run, type RunArtifact, type RunEvent, type RunMetric } from '@lesionlab/contracts';
import { RunsService } from '@lesionlab/training';
import { ZodValidationPipe } from '../http/zod-validation.pipe';

const LIVE_POLL_MS = 1000;
const FINISHED = new Set<Run['status']>(['succeeded', 'failed', 'cancelled']);

@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post()
  @HttpCode(202)
  create(@Body(new ZodValidationPipe(createRunSchema)) body: CreateRun): Promise<Run> {
    return this.runs.create(body);
  }

  @Get()
  async list(): Promise<{ items: Run[] }> {
    return { items: await this.runs.list() };
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<Run & { metrics: RunMetric[]; artifacts: RunArtifact[] }> {
    const run = await this.runs.get(id);
    return { ...run, metrics: await this.runs.metrics(id), artifacts: await this.runs.artifacts(id) };
  }

  @Post(':id/cancel')
  @HttpCode(202)
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<Run> {
    return this.runs.cancel(id);
  }

  /** Server-sent events: new metrics as they are stored and the run whenever it changes, until it ends. */
  @Get(':id/events')
  async events(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    let run = await this.runs.get(id);
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const send = (event: RunEvent) => response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    let closed = false;
    request.on('close', () => (closed = true));
    let after = 0;
    let seen = '';
    while (!closed) {
      const metrics = await this.runs.metrics(id, after);
      if (metrics.length) {
        after = metrics[metrics.length - 1].id;
        send({ type: 'metrics', metrics });
      }
      const snapshot = JSON.stringify(run);
      if (snapshot !== seen) {
        seen = snapshot;
        send({ type: 'run', run });
      }
      if (FINISHED.has(run.status) && metrics.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, LIVE_POLL_MS));
      run = await this.runs.get(id);
    }
    response.end();
  }
}
