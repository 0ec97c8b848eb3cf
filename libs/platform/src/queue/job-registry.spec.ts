import { JobRegistryError, validateHandlers, type RegisteredHandler } from './job-registry';

const catalog = { 'catalog.import': { queue: 'import' as const }, 'system.ping': { queue: 'system' as const } };
const handler = (name: string, queue: RegisteredHandler['queue'], source = `${name}.handler`): RegisteredHandler => ({
  name,
  queue,
  source,
  handle: async () => undefined,
});

function problemsOf(handlers: RegisteredHandler[]): string[] {
  try {
    validateHandlers(handlers, catalog);
  } catch (error) {
    if (error instanceof JobRegistryError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateHandlers', () => {
  it('accepts exactly one handler per catalogued job', () => {
    const map = validateHandlers([handler('catalog.import', 'import'), handler('system.ping', 'system')], catalog);
    expect([...map.keys()].sort()).toEqual(['catalog.import', 'system.ping']);
  });

  it('refuses a job without a handler', () => {
    expect(problemsOf([handler('system.ping', 'system')])).toEqual(['job "catalog.import" has no handler']);
  });

  it('refuses a job with two handlers, naming both', () => {
    expect(problemsOf([handler('catalog.import', 'import', 'A.run'), handler('catalog.import', 'import', 'B.run'), handler('system.ping', 'system')])).toEqual([
      'job "catalog.import" has 2 handlers: A.run, B.run',
    ]);
  });

  it('refuses a handler on the wrong queue and one for an unknown job', () => {
    expect(problemsOf([handler('catalog.import', 'train', 'A.run'), handler('system.ping', 'system'), handler('mystery', 'system', 'M.run')])).toEqual([
      'A.run handles "catalog.import" on queue "train", the catalog says "import"',
      'M.run handles "mystery", which is not in the job catalog',
    ]);
  });
});
