import { BadGatewayException, Logger, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const logger = new Logger('StreamedResponse');
/** Headers the routes set for the body; an error answered instead must not carry them. */
const BODY_HEADERS = ['Content-Length', 'Content-Type', 'Content-Disposition', 'Cache-Control', 'ETag'];

/**
 * Sends `source` as the response body through `stream.pipeline`, so an error on either side ends both
 * streams instead of reaching the process as an unhandled 'error' event. A read error before the first
 * byte (an object removed, a storage server that refuses) becomes an error answer: 404 when the data is
 * gone, else 502. Later, with the status line sent, the connection is cut so the client sees the body
 * is incomplete. A client that goes away just ends the read.
 */
export async function sendStream(source: Readable, response: Response, what: string): Promise<void> {
  // Listening for errors from the start: a stream may fail before pipeline() attaches its own listener.
  let failure: NodeJS.ErrnoException | undefined;
  const noteFailure = (error: Error) => (failure ??= error);
  source.on('error', noteFailure);
  try {
    await new Promise((resolve) => {
      for (const event of ['readable', 'error', 'close']) source.once(event, resolve);
    });
    if (failure && !response.headersSent) {
      source.destroy();
      for (const header of BODY_HEADERS) response.removeHeader(header);
      logger.error(`reading ${what} failed: ${failure.message}`);
      if (failure.code === 'ENOENT') throw new NotFoundException(`The stored data of ${what} is missing`);
      throw new BadGatewayException(`Reading ${what} from storage failed; try again`);
    }
    await pipeline(source, response);
  } catch (error) {
    if (error instanceof NotFoundException || error instanceof BadGatewayException) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && !failure) return; // the client left
    logger.error(`streaming ${what} failed midway: ${(error as Error).message}`);
  } finally {
    source.off('error', noteFailure);
  }
}
