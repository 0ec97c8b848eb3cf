import { SetMetadata } from '@nestjs/common';
import type { QueueName } from '@lesionlab/contracts';

export const ON_JOB_METADATA = 'lesionlab:on-job';

export interface OnJobOptions {
  name: string;
  queue: QueueName;
  /** How many jobs of this queue one worker process runs at once. */
  concurrency?: number;
}

/** Marks a provider method as the handler of a job: `handle(payload, context)`. */
export const OnJob = (options: OnJobOptions): MethodDecorator => SetMetadata(ON_JOB_METADATA, options);
