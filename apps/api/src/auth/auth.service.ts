import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { LruMap } from '@lesionlab/labels';
import {
  AccessTokenSigner,
  CONFIG,
  hashPassword,
  newOpaqueToken,
  sha256Hex,
  verifyPassword,
  type Config,
  type Role,
} from '@lesionlab/platform';
import type { SessionEndReason } from '@lesionlab/contracts';
import type { Principal } from './principal';
import { UsersRepository, type ApiTokenRow, type SessionFamily, type UserRow } from './users.repository';

export interface Session {
  user: UserRow;
  accessToken: string;
  accessTtlS: number;
  refreshToken: string;
  refreshTtlS: number;
}

/** A hash to compare against when the e-mail is unknown, so a miss costs as long as a wrong password. */
const DECOY_HASH = hashPassword('decoy password that nobody has');

/**
 * How long a user row read for one request serves the next ones. Changes made through this process
 * drop it at once; changes made elsewhere (another API instance, SQL) apply within this time.
 */
const USER_CACHE_MS = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Passwords, web sessions (access + refresh tokens) and API tokens. */
@Injectable()
export class AuthService {
  private readonly signer: AccessTokenSigner;
  private readonly recentUsers = new LruMap<string, { user: UserRow | null; readAtMs: number }>(10_000);

  constructor(
    private readonly users: UsersRepository,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.signer = new AccessTokenSigner(config.SIGNING_SECRET);
  }

  async createUser(email: string, role: Role, password?: string): Promise<UserRow | null> {
    return this.users.insert(normaliseEmail(email), role, password ? await hashPassword(password) : null);
  }

  /**
   * Changes a role, enables/disables, or sets a new password (which ends the user's sessions and API
   * tokens). Takes effect on the user's next request. Refuses (409) to leave no enabled admin.
   */
  async changeUser(id: string, change: { role?: Role; disabled?: boolean; password?: string }): Promise<UserRow> {
    const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
    const user = await this.users.update(id, { role: change.role, disabled: change.disabled, passwordHash }, new Date());
    this.recentUsers.delete(id);
    if (user === null) throw new NotFoundException(`No user ${id}`);
    if (user === 'last-admin') throw new ConflictException('This is the last active admin: make another user admin first, then disable or demote this one');
    return user;
  }

  /** A session for the right password of an enabled user; null otherwise (no hint which part was wrong). */
  async signIn(email: string, password: string): Promise<Session | null> {
    const user = await this.users.byEmail(normaliseEmail(email));
    const matches = await verifyPassword(password, user?.password_hash ?? (await DECOY_HASH));
    if (!user || !user.password_hash || !matches || user.disabled_at) return null;
    return this.openSession(user, { id: randomUUID(), startedAt: new Date() });
  }

  /**
   * Trades a refresh token for a new one of the same sign-in (the old token stops working), or says
   * why not: the token is not live, or its user has been disabled (the token is used up either way).
   * Replaying a used token ends every token of its sign-in.
   */
  async refresh(refreshToken: string): Promise<Session | SessionEndReason> {
    const consumed = await this.users.consumeSession(sha256Hex(refreshToken), this.config.SESSION_MAX_AGE_S);
    if (!consumed) return 'session-ended';
    if (consumed.user.disabled_at) return 'account-disabled';
    return this.openSession(consumed.user, consumed.family);
  }

  async signOut(refreshToken: string): Promise<void> {
    await this.users.consumeSession(sha256Hex(refreshToken), this.config.SESSION_MAX_AGE_S);
  }

  /**
   * The principal of a bearer credential: a signed access token or an API token. Either way the user
   * is read from the database (an access token's e-mail and role are not trusted): a deleted or
   * disabled user, a changed role or a changed password apply on the next request.
   */
  async authenticate(credential: string): Promise<Principal | null> {
    if (credential.startsWith('llat.')) {
      const claims = this.signer.verify(credential);
      if (!claims || !UUID.test(claims.sub)) return null;
      const user = await this.currentUser(claims.sub);
      if (!user || user.disabled_at) return null;
      if (user.credentials_changed_at && claims.iatMs < user.credentials_changed_at.getTime()) return null;
      return { id: user.id, email: user.email, role: user.role, via: 'access-token' };
    }
    if (!credential.startsWith('llpat_')) return null;
    const user = await this.users.userOfToken(sha256Hex(credential));
    return user && { id: user.id, email: user.email, role: user.role, via: 'api-token' };
  }

  /** A short-lived access token for a user (what a session carries), never outliving `notAfter`. */
  accessToken(user: Pick<UserRow, 'id' | 'email' | 'role'>, notAfter?: Date): string {
    const now = Date.now();
    const expMs = Math.min(now + this.config.ACCESS_TOKEN_TTL_S * 1000, notAfter?.getTime() ?? Infinity);
    return this.signer.sign({ sub: user.id, email: user.email, role: user.role, exp: Math.floor(expMs / 1000), iatMs: now });
  }

  /** A new API token: the secret is returned here, once; only its sha256 is stored. */
  async createApiToken(userId: string, name: string, expiresInDays?: number): Promise<{ token: string; row: ApiTokenRow }> {
    const token = newOpaqueToken('llpat');
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
    return { token, row: await this.users.insertToken(userId, name, sha256Hex(token), expiresAt) };
  }

  private async currentUser(id: string): Promise<UserRow | null> {
    const cached = this.recentUsers.get(id);
    if (cached && Date.now() - cached.readAtMs < USER_CACHE_MS) return cached.user;
    const user = await this.users.byId(id);
    this.recentUsers.set(id, { user, readAtMs: Date.now() });
    return user;
  }

  /** A refresh token of the family, expiring after REFRESH_TOKEN_TTL_S unused or SESSION_MAX_AGE_S after sign-in. */
  private async openSession(user: UserRow, family: SessionFamily): Promise<Session> {
    const now = Date.now();
    const expiresAt = new Date(Math.min(now + this.config.REFRESH_TOKEN_TTL_S * 1000, family.startedAt.getTime() + this.config.SESSION_MAX_AGE_S * 1000));
    const refreshToken = newOpaqueToken('llrt');
    await this.users.insertSession(user.id, sha256Hex(refreshToken), expiresAt, family);
    return {
      user,
      accessToken: this.accessToken(user, expiresAt),
      accessTtlS: Math.min(this.config.ACCESS_TOKEN_TTL_S, Math.floor((expiresAt.getTime() - now) / 1000)),
      refreshToken,
      refreshTtlS: Math.floor((expiresAt.getTime() - now) / 1000),
    };
  }
}
