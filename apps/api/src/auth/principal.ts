import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@lesionlab/platform';

/** The signed-in user a request acts for (set by AuthGuard). */
export interface Principal {
  id: string;
  email: string;
  role: Role;
  via: 'access-token' | 'api-token';
}

export type AuthenticatedRequest = Request & { principal?: Principal };

export function principalOf(request: Request): Principal | undefined {
  return (request as AuthenticatedRequest).principal;
}

/** The principal of a guarded route; AuthGuard has already refused requests without one. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(context.switchToHttp().getRequest<Request>());
  if (!principal) throw new Error('CurrentUser used on a route the permission matrix marks public');
  return principal;
});
