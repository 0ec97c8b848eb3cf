import type { Readable } from 'node:stream';
import { DomainError } from '@lesionlab/contracts';

export interface ObjectInfo {
  key: string;
  size: number;
  contentType?: string;
  lastModified?: Date;
}

export interface PutOptions {
  contentType?: string;
}

export type ObjectBody = Buffer | Uint8Array | Readable;

/** Where LesionLab keeps bytes: an S3-compatible server in production, a folder in embedded mode. */
export interface ObjectStorage {
  readonly driver: 'fs' | 's3';
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<ObjectInfo>;
  /** Streams the object; rejects with ObjectNotFoundError when it does not exist. */
  get(key: string): Promise<Readable>;
  head(key: string): Promise<ObjectInfo | null>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Marks an existing object as just written (its last-modified time becomes now). */
  touch(key: string): Promise<void>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  presignGet(key: string, expiresInSeconds?: number): Promise<string>;
  presignPut(key: string, expiresInSeconds?: number, contentType?: string): Promise<string>;
  /** Verifies the store answers; throws with the reason when it does not. */
  ping(): Promise<void>;
}

export class ObjectNotFoundError extends DomainError {
  constructor(readonly key: string) {
    super('not-found', `No object at "${key}"`);
  }
}

export class InvalidObjectKeyError extends DomainError {
  constructor(readonly key: string, reason: string) {
    super('invalid', `Invalid object key "${key}": ${reason}`);
  }
}

/** Keys are relative, '/'-separated, without '.', '..' or empty segments, so no driver can escape its root. */
export function assertValidKey(key: string): void {
  if (!key || key.length > 1024) throw new InvalidObjectKeyError(key, 'must be 1 to 1024 characters');
  if (key.startsWith('/') || key.includes('\\') || key.includes('\0')) {
    throw new InvalidObjectKeyError(key, 'must be a relative path without backslashes or NUL');
  }
  if (key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new InvalidObjectKeyError(key, "must not contain empty, '.' or '..' segments");
  }
}
