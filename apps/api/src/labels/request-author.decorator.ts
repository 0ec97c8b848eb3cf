import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export const AUTHOR_HEADER = 'x-lesionlab-user';
const ANONYMOUS = 'anonymous';
const AUTHOR = /^[A-Za-z0-9._@:+-]{1,100}$/;

/**
 * Who is making the request. Until authentication exists this is the X-LesionLab-User header
 * (default `anonymous`); this decorator is the one place to replace with the authenticated user.
 */
export const RequestAuthor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const given = context.switchToHttp().getRequest<Request>().header(AUTHOR_HEADER)?.trim();
  return given && AUTHOR.test(given) ? given : ANONYMOUS;
});
