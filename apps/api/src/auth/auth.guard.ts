import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AuthService } from './auth.service';
import { accessOf, PUBLIC } from './permissions';
import type { AuthenticatedRequest } from './principal';
import { ACCESS_COOKIE, cookieOf } from './session-cookies';

/** `METHOD /path` of the route Express matched, as the permission matrix names it. */
export function routeKeyOf(request: Request): { method: string; path: string } {
  return { method: request.method, path: String((request.route as { path?: unknown } | undefined)?.path ?? request.path) };
}

function credentialOf(request: Request): string | undefined {
  const header = request.header('authorization');
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  return cookieOf(request, ACCESS_COOKIE);
}

/**
 * Every request passes here (a global guard): public routes go through, the rest need a valid
 * bearer token (or the web's access cookie) of a role the permission matrix allows. A route the
 * matrix does not list is refused to everyone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { method, path } = routeKeyOf(request);
    const access = accessOf(method, path);
    if (access === undefined) throw new ForbiddenException(`${method} ${path} has no row in the permission matrix, so nobody may call it`);
    if (access === PUBLIC) return true;
    const credential = credentialOf(request);
    if (credential === undefined) throw new UnauthorizedException('Sign in first: send Authorization: Bearer <token> (see `npx lesionlab login`)');
    const principal = await this.auth.authenticate(credential);
    if (!principal) throw new UnauthorizedException('The token is invalid, expired or revoked: sign in again');
    request.principal = principal;
    if (!access.includes(principal.role)) throw new ForbiddenException(`The ${principal.role} role may not call ${method} ${path}`);
    return true;
  }
}
