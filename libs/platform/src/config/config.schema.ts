import { z } from 'zod';
import { QUEUE_NAMES } from '@lesionlab/contracts';
import { passwordOfUrl, weakSecretReason } from './secret-strength';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `expected a URL of the form ${protocols[0]}://host:port/...` },
  );

/**
 * Every environment variable LesionLab reads, in one place. The README's configuration table lists
 * the same variables; `describeSettings()` prints it.
 */
export const settingsSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LESIONLAB_HOME: z.string().min(1).default('./.lesionlab'),
    PORT: port.default(3000),
    WORKER_HEALTH_PORT: port.default(3001),
    WEB_PORT: port.default(4200),
    PUBLIC_API_URL: url(['http', 'https']).default('http://localhost:3000'),
    DATABASE_URL: url(['postgres', 'postgresql']),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    QUEUE_BACKEND: z.enum(['postgres', 'redis'], { message: "expected 'postgres' or 'redis'" }).default('postgres'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,40}$/, 'expected lower-case letters, digits and _')
      .default('lesionlab'),
    REDIS_URL: url(['redis', 'rediss']).optional(),
    STORAGE_DRIVER: z.enum(['fs', 's3'], { message: "expected 'fs' or 's3'" }).default('fs'),
    STORAGE_FS_ROOT: z.string().min(1).optional(),
    S3_ENDPOINT: url(['http', 'https']).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')
      .default('lesionlab'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: bool.default(true),
    SIGNING_SECRET: z.string().min(32, 'expected at least 32 characters'),
    PRESIGN_EXPIRES_S: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(900),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 10mb')
      .default('10mb'),
    CORS_ORIGINS: z.string().default('http://localhost:4200,http://127.0.0.1:4200'),
    WORKER_QUEUES: z
      .string()
      .regex(/^[a-z]+(,[a-z]+)*$/, 'expected a comma-separated list of queue names, e.g. train,evaluate,predict')
      .optional(),
    SHUTDOWN_GRACE_S: z.coerce.number().int().min(0).max(3600).default(30),
    IMPORT_ALLOWED_ROOTS: z
      .string()
      .refine((v) => v.split(',').every((root) => root.trim().startsWith('/')), 'expected a comma-separated list of absolute folders')
      .optional(),
    IMPORT_UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).max(100_000).default(1024),
    IMPORT_UPLOAD_DIR: z.string().min(1).optional(),
    // Decoder limits: checked against header values before any pixel or inflate buffer is allocated.
    IMPORT_MAX_SLICE_PIXELS: z.coerce.number().int().min(1).max(0x7fffffff).default(8192 * 8192),
    IMPORT_MAX_VOLUME_BYTES: z.coerce.number().int().min(1024).max(2 ** 32).default(2 * 1024 ** 3),
    LESIONLAB_ADMIN_EMAIL: z.email({ message: 'expected an e-mail address' }).default('admin@lesionlab.local'),
    LESIONLAB_ADMIN_PASSWORD: z.string().min(12, 'expected at least 12 characters').optional(),
    ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(30).max(3600).default(900),
    REFRESH_TOKEN_TTL_S: z.coerce.number().int().min(300).max(90 * 24 * 3600).default(14 * 24 * 3600),
    SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
    SESSION_MAX_AGE_S: z.coerce.number().int().min(300).max(90 * 24 * 3600).default(12 * 3600),
    TRUST_PROXY: z
      .string()
      .regex(
        /^(\d{1,2}|(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*)$/,
        'expected a hop count (e.g. 1) or a comma-separated list of loopback, linklocal, uniquelocal, addresses and CIDR ranges',
      )
      .default('loopback'),
    GPU_SLOTS: z.coerce.number().int().min(1).max(64).default(1),
    TRAINER_PYTHON: z.string().min(1).default('apps/trainer/.venv/bin/python'),
    TRAINER_CACHE_DIR: z.string().min(1).optional(),
    TRAINER_CACHE_MAX_GB: z.coerce.number().positive().max(100_000).default(50),
    ASSIST_MODELS_DIR: z.string().min(1).default('.tools/assist'),
  })
  .superRefine((s, ctx) => {
    for (const queue of s.WORKER_QUEUES?.split(',') ?? []) {
      if (!(QUEUE_NAMES as readonly string[]).includes(queue)) {
        ctx.addIssue({ code: 'custom', path: ['WORKER_QUEUES'], message: `unknown queue "${queue}" (known: ${QUEUE_NAMES.join(', ')})` });
      }
    }
    if (s.QUEUE_BACKEND === 'redis' && !s.REDIS_URL) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'required when QUEUE_BACKEND=redis (redis://host:port)' });
    }
    if (s.STORAGE_DRIVER === 's3') {
      for (const key of ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
        if (!s[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when STORAGE_DRIVER=s3' });
      }
    }
    if (s.NODE_ENV === 'production') {
      // The first admin's password is typed by a person, so it gets a person's bar (64 bits: 12 mixed
      // characters); the others are machine secrets and need 32 random bytes.
      const secrets: Array<[string, string | undefined, number?]> = [
        ['SIGNING_SECRET', s.SIGNING_SECRET],
        ['S3_SECRET_ACCESS_KEY', s.S3_SECRET_ACCESS_KEY],
        ['DATABASE_URL', passwordOfUrl(s.DATABASE_URL)],
        ['LESIONLAB_ADMIN_PASSWORD', s.LESIONLAB_ADMIN_PASSWORD, 64],
      ];
      for (const [key, value, minBits] of secrets) {
        const reason = value === undefined ? null : weakSecretReason(value, minBits);
        if (reason) ctx.addIssue({ code: 'custom', path: [key], message: `${key === 'DATABASE_URL' ? 'its password' : 'the secret'} ${reason} (NODE_ENV=production)` });
      }
    }
  });

export type Settings = z.infer<typeof settingsSchema>;
