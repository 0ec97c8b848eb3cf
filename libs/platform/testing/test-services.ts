import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig, type Config } from '../src/config/load-settings';
import { migrateDatabase } from '../src/database/migrate';
import { S3ObjectStorage } from '../src/storage/s3-object-storage';

/** Connection details the jest global setup found or started (see infra/jest/global-setup.js). */
export function testServices() {
  const need = (key: string) => {
    const value = process.env[key];
    if (!value) throw new Error(`${key} is not set: run the tests through jest, whose global setup starts the services`);
    return value;
  };
  return {
    adminDatabaseUrl: need('TEST_DATABASE_URL'),
    redisUrl: need('TEST_REDIS_URL'),
    s3: {
      endpoint: need('TEST_S3_ENDPOINT'),
      accessKeyId: need('TEST_S3_ACCESS_KEY_ID'),
      secretAccessKey: need('TEST_S3_SECRET_ACCESS_KEY'),
      bucket: need('TEST_S3_BUCKET'),
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database of its own for one test file (or benchmark); `migrate` brings it to the
 * current schema. It is made on `adminUrl`'s server, by default the one the jest global setup found.
 */
export async function createTestDatabase(options: { migrate?: boolean; adminUrl?: string } = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? testServices().adminDatabaseUrl;
  const name = uniqueName('lltest');
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  if (options.migrate ?? true) await migrateDatabase(url);
  return {
    url,
    name,
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A validated configuration for tests: embedded-style defaults plus the given overrides. */
export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    LESIONLAB_HOME: path.join(os.tmpdir(), uniqueName('lesionlab-home')),
    SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
    QUEUE_PREFIX: uniqueName('q').toLowerCase(),
    ...overrides,
  });
}

/** S3 storage on the test server under a fresh prefix-free bucket of its own. */
export async function createTestS3Storage(partSize?: number): Promise<S3ObjectStorage> {
  const { s3 } = testServices();
  const storage = new S3ObjectStorage({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    bucket: uniqueName('ll').toLowerCase().replace(/_/g, '-'),
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
    defaultExpiresIn: 60,
    partSize,
  });
  await storage.ensureBucket();
  return storage;
}
