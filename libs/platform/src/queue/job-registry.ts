import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_CATALOG, type QueueName } from '@lesionlab/contracts';
import type { JobHandlerFn } from './job-context';
import { ON_JOB_METADATA, type OnJobOptions } from './on-job.decorator';

export interface RegisteredHandler extends OnJobOptions {
  handle: JobHandlerFn;
  /** `ClassName.method`, for messages. */
  source: string;
}

export class JobRegistryError extends Error {
  constructor(readonly problems: string[]) {
    super(`The job handlers do not match the job catalog:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'JobRegistryError';
  }
}

/**
 * Checks found handlers against the catalog: every job has exactly one handler, on the queue the
 * catalog names, and there is no handler for a job the catalog does not know.
 */
export function validateHandlers(
  handlers: RegisteredHandler[],
  catalog: Record<string, { queue: QueueName }> = JOB_CATALOG,
): Map<string, RegisteredHandler> {
  const problems: string[] = [];
  const byName = new Map<string, RegisteredHandler[]>();
  for (const handler of handlers) byName.set(handler.name, [...(byName.get(handler.name) ?? []), handler]);
  for (const [name, definition] of Object.entries(catalog)) {
    const found = byName.get(name) ?? [];
    if (found.length === 0) problems.push(`job "${name}" has no handler`);
    if (found.length > 1) problems.push(`job "${name}" has ${found.length} handlers: ${found.map((h) => h.source).join(', ')}`);
    for (const handler of found) {
      if (handler.queue !== definition.queue) {
        problems.push(`${handler.source} handles "${name}" on queue "${handler.queue}", the catalog says "${definition.queue}"`);
      }
    }
  }
  for (const [name, found] of byName) {
    if (!(name in catalog)) problems.push(`${found.map((h) => h.source).join(', ')} handles "${name}", which is not in the job catalog`);
  }
  if (problems.length) throw new JobRegistryError(problems);
  return new Map([...byName].map(([name, found]) => [name, found[0]]));
}

/** Finds every @OnJob method among the application's providers. */
@Injectable()
export class JobRegistry {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  discover(): RegisteredHandler[] {
    const handlers: RegisteredHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const options = this.reflector.get<OnJobOptions | undefined>(ON_JOB_METADATA, prototype[method]);
        if (!options) continue;
        const fn = instance[method] as JobHandlerFn;
        handlers.push({ ...options, handle: fn.bind(instance), source: `${prototype.constructor.name}.${method}` });
      }
    }
    return handlers;
  }
}
