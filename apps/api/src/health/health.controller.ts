import { Controller, Get, Req, Res } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { Request, Response } from 'express';
import { PlatformHealth } from '@lesionlab/platform';
import { principalOf } from '../auth/principal';

/** How long one check answers every caller: load balancers and status pages poll, nobody needs fresher. */
const CACHE_MS = 1000;

@Controller('health')
export class HealthController {
  private latest: { startedAtMs: number; report: Promise<HealthCheckResult> } | null = null;

  constructor(private readonly health: PlatformHealth) {}

  /**
   * Public, so load balancers and `lesionlab status` can call it: anyone gets the overall status (and
   * 503 when a component is down); only a signed-in admin gets each component's details, which name
   * hosts, backends and errors.
   */
  @Get()
  async check(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const report = await this.report();
    if (report.status !== 'ok') response.status(503);
    return principalOf(request)?.role === 'admin' ? report : { status: report.status };
  }

  /** The check of the last second, shared by every caller (concurrent ones wait for the same check). */
  private report(): Promise<HealthCheckResult> {
    const now = Date.now();
    if (!this.latest || now - this.latest.startedAtMs >= CACHE_MS) {
      const report = this.health.report();
      this.latest = { startedAtMs: now, report };
      report.catch(() => {
        if (this.latest?.report === report) this.latest = null;
      });
    }
    return this.latest.report;
  }
}
