import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, pipeline, type Readable } from 'node:stream';
import { Inject, Injectable, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { CONFIG, type Config } from '@lesionlab/platform';

const MIB = 1024 * 1024;

/** What the staging storage hands over for each file of a multipart request: its bytes are on disk, at `path`. */
export interface StagedFile {
  originalname: string;
  mimetype: string;
  size: number;
  path: string;
}

function uploadTooLarge(limitMb: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`the upload (all its files together) is over IMPORT_UPLOAD_LIMIT_MB (${limitMb} MB)`);
}

/**
 * A multer storage engine (one per request) that writes each file into the request's staging folder
 * as it arrives, counting the bytes of all files together: past the limit it stops with 413 and
 * removes the partial file (multer removes the finished ones).
 */
class StagingStorage {
  private received = 0;
  private files = 0;

  constructor(
    private readonly folder: string,
    private readonly limitMb: number,
  ) {}

  _handleFile(_req: Request, file: { stream: Readable }, done: (error: Error | null, info?: Partial<StagedFile>) => void): void {
    const target = path.join(this.folder, String(this.files++));
    let size = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, next) => {
        size += chunk.length;
        this.received += chunk.length;
        next(this.received > this.limitMb * MIB ? uploadTooLarge(this.limitMb) : null, chunk);
      },
    });
    pipeline(file.stream, counter, createWriteStream(target, { flags: 'wx', mode: 0o600 }), (error) => {
      if (error) void fs.rm(target, { force: true }).finally(() => done(error));
      else done(null, { path: target, size });
    });
  }

  _removeFile(_req: Request, file: StagedFile, done: (error: Error | null) => void): void {
    fs.rm(file.path, { force: true }).then(() => done(null), done);
  }
}

/**
 * Multipart uploads streamed to disk, never held whole in memory, with one limit on the whole request
 * (IMPORT_UPLOAD_LIMIT_MB): a declared Content-Length over it is refused before a byte is read, and
 * a request without one is cut off where it passes it. Each request stages its files in a folder of
 * its own under IMPORT_UPLOAD_DIR, removed once the route has answered, whatever the answer.
 */
@Injectable()
export class StagedUploadInterceptor implements NestInterceptor {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.is('multipart/form-data')) return next.handle();
    const limitMb = this.config.IMPORT_UPLOAD_LIMIT_MB;
    if (Number(request.headers['content-length']) > limitMb * MIB) throw uploadTooLarge(limitMb);
    const root = this.config.IMPORT_UPLOAD_DIR ?? path.join(os.tmpdir(), 'lesionlab-uploads');
    await fs.mkdir(root, { recursive: true, mode: 0o700 });
    const folder = await fs.mkdtemp(path.join(root, 'upload-'));
    const removeFolder = () => fs.rm(folder, { recursive: true, force: true });
    try {
      // preservePath: a folder upload names its files by their paths inside the folder (images/a.png, masks/a.png)
      const multer = new (AnyFilesInterceptor({ storage: new StagingStorage(folder, limitMb), preservePath: true }))();
      const answer = await multer.intercept(context, next);
      return from(lastValueFrom(answer).finally(removeFolder));
    } catch (error) {
      await removeFolder();
      throw error;
    }
  }
}
