import { createHash } from 'node:crypto';
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

  describe('secrets in production', () => {
    const strong = (seed: string) => createHash('sha256').update(seed).digest('hex');
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: `postgres://lesionlab:${strong('db')}@db:5432/lesionlab`,
      SIGNING_SECRET: strong('signing'),
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://s3:8333',
      S3_ACCESS_KEY_ID: 'lesionlab-prod',
      S3_SECRET_ACCESS_KEY: strong('s3'),
    };

    it('accepts random secrets of 32 bytes', () => {
      expect(loadConfig(production).NODE_ENV).toBe('production');
    });

    it('refuses the docker-compose defaults, naming each variable', () => {
      const problems = problemsOf({
        ...production,
        DATABASE_URL: 'postgres://lesionlab:lesionlab@postgres:5432/lesionlab',
        SIGNING_SECRET: 'change-me-to-a-long-random-signing-secret',
        S3_SECRET_ACCESS_KEY: 'change-me-s3-secret',
      });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'S3_SECRET_ACCESS_KEY', 'SIGNING_SECRET']);
      expect(problems.find((p) => p.startsWith('SIGNING_SECRET'))).toMatch(/known default/);
      expect(problems.join('\n')).not.toContain('change-me');
    });

    it('refuses a repeated character and a secret of less than 32 bytes of entropy', () => {
      expect(problemsOf({ ...production, SIGNING_SECRET: 'x'.repeat(100) })).toEqual([expect.stringMatching(/^SIGNING_SECRET: .*repeat/)]);
      // 40 hex digits are 160 bits: long enough for the 32-character rule, too little entropy
      expect(problemsOf({ ...production, S3_SECRET_ACCESS_KEY: strong('s3').slice(0, 40) })).toEqual([expect.stringMatching(/^S3_SECRET_ACCESS_KEY: .*160 bits.*256/)]);
      expect(problemsOf({ ...production, LESIONLAB_ADMIN_PASSWORD: 'aaaaaaaaaaaaaaaa' })).toEqual([expect.stringMatching(/^LESIONLAB_ADMIN_PASSWORD: .*repeat/)]);
    });

    it('leaves development and test alone', () => {
      expect(loadConfig({ ...production, NODE_ENV: 'development', SIGNING_SECRET: 'change-me-to-a-long-random-signing-secret' }).NODE_ENV).toBe('development');
    });
  });

  it('masks passwords in URLs', () => {
    expect(maskCredentials('postgres://lesionlab:s3cret@db:5432/x')).toBe('postgres://lesionlab:***@db:5432/x');
    expect(maskCredentials('redis://localhost:6379')).toBe('redis://localhost:6379');
  });
});
