import { ForbiddenException, HttpException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from '@lesionlab/platform';
import { auditEntryOf } from '../audit/audit.interceptor';
import type { AuditRepository } from '../audit/audit.repository';
import { crossOriginRefusal } from '../http/origin-check';
import { routeKeyOf } from '../http/route-key';
import { AuthService } from './auth.service';
import { accessOf, PUBLIC } from './permissions';
import type { AuthenticatedRequest, Principal } from './principal';
import { ACCESS_COOKIE, cookieOf } from './session-cookies';

function credentialOf(request: Request): string | undefined {
  const header = request.header('authorization');
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  return cookieOf(request, ACCESS_COOKIE);
}

export interface GuardOptions {
  /** CORS_ORIGINS: where a cookie-authenticated change may come from */
  allowedOrigins: readonly string[];
  /** where refusals (401, 403) are recorded, as the audit interceptor records changes */
  audit: AuditRepository;
  logger: Logger;
}

/**
 * Every request passes here (a global guard): public routes go through, the rest need a valid
 * bearer token (or the web's access cookie) of a role the permission matrix allows. A route the
 * matrix does not list is refused to everyone. A cookie-authenticated change must come from an
 * allowed origin. Every refusal is appended to the audit log.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly options: GuardOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    try {
      return await this.authorise(request);
    } catch (error) {
      if (error instanceof HttpException) await this.recordRefusal(request, error.getStatus());
      throw error;
    }
  }

  private async authorise(request: AuthenticatedRequest): Promise<boolean> {
    const { method, path } = routeKeyOf(request);
    const access = accessOf(method, path);
    if (access === undefined) throw new ForbiddenException(`${method} ${path} has no row in the permission matrix, so nobody may call it`);
    const crossOrigin = crossOriginRefusal(request, this.options.allowedOrigins);
    if (crossOrigin) throw new ForbiddenException(crossOrigin);
    const credential = credentialOf(request);
    if (access === PUBLIC) {
      // A public route still learns who calls it when the caller says (health shows admins more).
      if (credential) request.principal = (await this.identify(credential)) ?? undefined;
      return true;
    }
    if (credential === undefined) throw new UnauthorizedException('Sign in first: send Authorization: Bearer <token> (see `npx lesionlab login`)');
    const principal = await this.auth.authenticate(credential);
    if (!principal) throw new UnauthorizedException('The token is invalid, expired or revoked: sign in again');
    request.principal = principal;
    if (!access.includes(principal.role)) throw new ForbiddenException(`The ${principal.role} role may not call ${method} ${path}`);
    return true;
  }

  /** The caller of a public route, or null: a bad credential or a database outage never refuses it. */
  private async identify(credential: string): Promise<Principal | null> {
    return this.auth.authenticate(credential).catch(() => null);
  }

  private async recordRefusal(request: Request, status: number): Promise<void> {
    try {
      await this.options.audit.append(auditEntryOf(request, status));
    } catch (error) {
      const { method, path } = routeKeyOf(request);
      this.options.logger.error({ err: error, action: `${method} ${path}`, status }, 'could not append a refusal to the audit log');
    }
  }
}
