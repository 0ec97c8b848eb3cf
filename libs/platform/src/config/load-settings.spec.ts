import { ConfigError, loadConfig, maskCredentials } from './load-settings';

const minimal = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', SIGNING_SECRET: 'x'.repeat(32) };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills in the embedded defaults', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({ PORT: 3000, WEB_PORT: 4200, QUEUE_BACKEND: 'postgres', STORAGE_DRIVER: 'fs', S3_FORCE_PATH_STYLE: true });
    expect(config.storageRoot).toMatch(/\.lesionlab\/objects$/);
  });

  it('names a malformed DATABASE_URL and the form it expects', () => {
    expect(problemsOf({ ...minimal, DATABASE_URL: 'mysql://localhost/db' })).toEqual([
      'DATABASE_URL: expected a URL of the form postgres://host:port/... (got "mysql://localhost/db")',
    ]);
  });

  it('names a missing DATABASE_URL', () => {
    expect(problemsOf({ SIGNING_SECRET: minimal.SIGNING_SECRET })[0]).toMatch(/^DATABASE_URL: .*\(it is not set\)$/);
  });

  it('names an unknown QUEUE_BACKEND and lists the known ones', () => {
    expect(problemsOf({ ...minimal, QUEUE_BACKEND: 'kafka' })).toEqual([`QUEUE_BACKEND: expected 'postgres' or 'redis' (got "kafka")`]);
  });

  it('requires REDIS_URL for the redis backend and S3 credentials for the s3 driver', () => {
    const problems = problemsOf({ ...minimal, QUEUE_BACKEND: 'redis', STORAGE_DRIVER: 's3' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^REDIS_URL: required when QUEUE_BACKEND=redis/),
        expect.stringMatching(/^S3_ENDPOINT: required when STORAGE_DRIVER=s3/),
        expect.stringMatching(/^S3_ACCESS_KEY_ID: required/),
        expect.stringMatching(/^S3_SECRET_ACCESS_KEY: required/),
      ]),
    );
  });

  it('reports every bad variable at once, never echoing a secret', () => {
    const problems = problemsOf({ DATABASE_URL: 'nope', SIGNING_SECRET: 'short', PORT: '99999', WORKER_QUEUES: 'train,gpu' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'PORT', 'SIGNING_SECRET', 'WORKER_QUEUES']);
    expect(problems.join('\n')).not.toContain('short');
    expect(problems.find((p) => p.startsWith('WORKER_QUEUES'))).toContain('unknown queue "gpu"');
  });

  it('masks passwords in URLs', () => {
    expect(maskCredentials('postgres://lesionlab:s3cret@db:5432/x')).toBe('postgres://lesionlab:***@db:5432/x');
    expect(maskCredentials('redis://localhost:6379')).toBe('redis://localhost:6379');
  });
});
