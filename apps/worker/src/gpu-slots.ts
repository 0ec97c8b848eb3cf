import type { QueueName } from '@lesionlab/contracts';
import type { RegisteredHandler } from '@lesionlab/platform';

/** The queues whose jobs run the trainer and hold GPUs. */
export const GPU_QUEUES: readonly QueueName[] = ['train', 'evaluate', 'predict'];

/** The handlers with GPU_SLOTS as the concurrency of every GPU queue (the rest keep their own). */
export function withGpuSlots(handlers: Map<string, RegisteredHandler>, slots: number): Map<string, RegisteredHandler> {
  return new Map([...handlers].map(([name, handler]) => [name, GPU_QUEUES.includes(handler.queue) ? { ...handler, concurrency: slots } : handler]));
}
