import { Controller, ForbiddenException, Get, Inject, NotFoundException, Param, Put, Query, Req, Res, HttpCode } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  assertValidKey,
  OBJECT_STORAGE,
  ObjectNotFoundError,
  UrlSigner,
  type ObjectStorage,
  type SignedMethod,
} from '@lesionlab/platform';
import { sendStream } from '../http/send-stream';

/** Serves the fs driver's presigned URLs; with the s3 driver, URLs point at the S3 server instead. */
@Controller('objects')
export class ObjectsController {
  constructor(
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly signer: UrlSigner,
  ) {}

  @Get('*key')
  async download(@Param('key') key: string[] | string, @Query() query: Record<string, string>, @Res() response: Response) {
    const objectKey = this.authorise('GET', key, query);
    const info = await this.storage.head(objectKey);
    if (!info) throw new ObjectNotFoundError(objectKey);
    response.setHeader('Content-Length', String(info.size));
    response.setHeader('Content-Type', info.contentType ?? 'application/octet-stream');
    response.setHeader('Cache-Control', 'private, max-age=300');
    await sendStream(await this.storage.get(objectKey), response, `object "${objectKey}"`);
  }

  @Put('*key')
  @HttpCode(200)
  async upload(@Param('key') key: string[] | string, @Query() query: Record<string, string>, @Req() request: Request) {
    const objectKey = this.authorise('PUT', key, query);
    const info = await this.storage.put(objectKey, request);
    return { key: info.key, size: info.size };
  }

  private authorise(method: SignedMethod, key: string[] | string, query: Record<string, string>): string {
    const objectKey = Array.isArray(key) ? key.join('/') : key;
    if (this.storage.driver !== 'fs') throw new NotFoundException('Object URLs are served by the S3 server');
    if (query.method !== method) throw new ForbiddenException(`This URL is signed for ${query.method ?? 'no method'}, not ${method}`);
    const problem = this.signer.verify(method, objectKey, query.expires ?? '', query.signature ?? '');
    if (problem) throw new ForbiddenException(`Invalid object URL: ${problem}`);
    assertValidKey(objectKey);
    return objectKey;
  }
}
