import { Body, Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { newApiTokenSchema, signInSchema, type SessionEndReason } from '@lesionlab/contracts';
import { CONFIG, type Config } from '@lesionlab/platform';
import { noteAuditIds } from '../audit/audit.interceptor';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { AuthService, type Session } from './auth.service';
import { CurrentUser, type AuthenticatedRequest, type Principal } from './principal';
import { SignInLimiter } from './sign-in-limiter';
import { clearSessionCookies, cookieOf, REFRESH_COOKIE, setSessionCookies } from './session-cookies';
import { UsersRepository, type ApiTokenRow } from './users.repository';


export interface SignedIn {
  user: { id: string; email: string; role: string };
  accessToken: string;
  expiresIn: number;
}

const SESSION_END_DETAIL: Record<SessionEndReason, string> = {
  'account-disabled': 'This account has been disabled by an admin: ask an admin to enable it',
  'session-ended': 'The sign-in has expired or was ended: sign in again',
};

function toToken(row: ApiTokenRow) {
  return { id: row.id, name: row.name, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

/**
 * Web sign-in sets two httpOnly cookies (a short-lived access token for /api and a refresh token for
 * /api/auth) and also returns the access token; the CLI and automation use API tokens instead.
 */
@Controller('auth')
export class AuthController {
  private readonly limiter: SignInLimiter;
  private readonly secureCookies: boolean;

  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
    @Inject(CONFIG) config: Config,
  ) {
    this.limiter = new SignInLimiter(config.SIGN_IN_RATE_LIMIT);
    this.secureCookies = config.NODE_ENV === 'production';
  }

  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Body(new ZodValidationPipe(signInSchema)) body: z.infer<typeof signInSchema>, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): Promise<SignedIn> {
    const email = body.email.trim().toLowerCase();
    noteAuditIds(request, { email });
    const wait = this.limiter.attempt(request.ip ?? 'unknown', email);
    if (wait) {
      response.setHeader('Retry-After', String(wait));
      throw new HttpException(`Too many sign-in attempts: try again in ${wait} s`, HttpStatus.TOO_MANY_REQUESTS);
    }
    const session = await this.auth.signIn(body.email, body.password);
    if (!session) throw new UnauthorizedException('Wrong e-mail or password, or the account is disabled');
    return this.started(session, request, response);
  }

  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): Promise<SignedIn> {
    const token = cookieOf(request, REFRESH_COOKIE);
    const session = token ? await this.auth.refresh(token) : undefined;
    if (typeof session !== 'object') {
      clearSessionCookies(response, this.secureCookies);
      if (!session) throw new UnauthorizedException('There is no web session to renew: sign in first');
      throw new UnauthorizedException({ message: SESSION_END_DETAIL[session], reason: session });
    }
    return this.started(session, request, response);
  }

  @Post('sign-out')
  @HttpCode(204)
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const token = cookieOf(request, REFRESH_COOKIE);
    if (token) await this.auth.signOut(token);
    clearSessionCookies(response, this.secureCookies);
  }

  @Get('me')
  me(@CurrentUser() user: Principal): Principal {
    return user;
  }

  @Get('tokens')
  async tokens(@CurrentUser() user: Principal) {
    return { items: (await this.users.tokensOf(user.id)).map(toToken) };
  }

  /** The token is in this answer only: it is stored as a hash. */
  @Post('tokens')
  @HttpCode(201)
  async createToken(@CurrentUser() user: Principal, @Body(new ZodValidationPipe(newApiTokenSchema)) body: z.infer<typeof newApiTokenSchema>) {
    const { token, row } = await this.auth.createApiToken(user.id, body.name, body.expiresInDays);
    return { ...toToken(row), token };
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  async revokeToken(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.users.revokeToken(user.id, id))) throw new NotFoundException(`You have no live API token ${id}`);
  }

  private started(session: Session, request: AuthenticatedRequest, response: Response): SignedIn {
    const { user } = session;
    request.principal = { id: user.id, email: user.email, role: user.role, via: 'access-token' };
    setSessionCookies(response, this.secureCookies, session);
    return { user: { id: user.id, email: user.email, role: user.role }, accessToken: session.accessToken, expiresIn: session.accessTtlS };
  }
}
