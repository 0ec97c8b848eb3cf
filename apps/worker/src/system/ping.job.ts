import { Injectable } from '@nestjs/common';
import os from 'node:os';
import type { PingJobPayload, PingJobResult } from '@lesionlab/contracts';
import { OnJob } from '@lesionlab/platform';

/** Answers a ping: proves that a worker takes jobs from the queue (used by `lesionlab status`). */
@Injectable()
export class PingJob {
  @OnJob({ name: 'system.ping', queue: 'system', concurrency: 4 })
  async handle(payload: PingJobPayload): Promise<PingJobResult> {
    return { sentAt: payload.sentAt, answeredAt: new Date().toISOString(), worker: `${os.hostname()}:${process.pid}` };
  }
}
