import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { principalOf } from '../auth/principal';

/** Who is making the request: the signed-in user's e-mail (AuthGuard has checked the credential). */
export const RequestAuthor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const principal = principalOf(context.switchToHttp().getRequest<Request>());
  if (!principal) throw new Error('RequestAuthor used on a route the permission matrix marks public');
  return principal.email;
});
