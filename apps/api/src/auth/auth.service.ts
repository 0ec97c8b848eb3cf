import { Inject, Injectable } from '@nestjs/common';
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
import type { Principal } from './principal';
import { UsersRepository, type ApiTokenRow, type UserRow } from './users.repository';

export interface Session {
  user: UserRow;
  accessToken: string;
  accessTtlS: number;
  refreshToken: string;
  refreshTtlS: number;
}

/** A hash to compare against when the e-mail is unknown, so a miss costs as long as a wrong password. */
const DECOY_HASH = hashPassword('decoy password that nobody has');

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Passwords, web sessions (access + refresh tokens) and API tokens. */
@Injectable()
export class AuthService {
  private readonly signer: AccessTokenSigner;

  constructor(
    private readonly users: UsersRepository,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.signer = new AccessTokenSigner(config.SIGNING_SECRET);
  }

  async createUser(email: string, role: Role, password?: string): Promise<UserRow | null> {
    return this.users.insert(normaliseEmail(email), role, password ? await hashPassword(password) : null);
  }

  /** A session for the right password of an enabled user; null otherwise (no hint which part was wrong). */
  async signIn(email: string, password: string): Promise<Session | null> {
    const user = await this.users.byEmail(normaliseEmail(email));
    const matches = await verifyPassword(password, user?.password_hash ?? (await DECOY_HASH));
    if (!user || !user.password_hash || !matches || user.disabled_at) return null;
    return this.openSession(user);
  }

  /** Trades a refresh token for a new session (the old token stops working); null when it is not live. */
  async refresh(refreshToken: string): Promise<Session | null> {
    const user = await this.users.consumeSession(sha256Hex(refreshToken));
    return user ? this.openSession(user) : null;
  }

  async signOut(refreshToken: string): Promise<void> {
    await this.users.consumeSession(sha256Hex(refreshToken));
  }

  /** The principal of a bearer credential: a signed access token or an API token. */
  async authenticate(credential: string): Promise<Principal | null> {
    if (credential.startsWith('llat.')) {
      const claims = this.signer.verify(credential);
      return claims && { id: claims.sub, email: claims.email, role: claims.role, via: 'access-token' };
    }
    if (!credential.startsWith('llpat_')) return null;
    const user = await this.users.userOfToken(sha256Hex(credential));
    return user && { id: user.id, email: user.email, role: user.role, via: 'api-token' };
  }

  /** A short-lived access token for a user (what a session carries). */
  accessToken(user: Pick<UserRow, 'id' | 'email' | 'role'>): string {
    return this.signer.sign({ sub: user.id, email: user.email, role: user.role, exp: Math.floor(Date.now() / 1000) + this.config.ACCESS_TOKEN_TTL_S });
  }

  /** A new API token: the secret is returned here, once; only its sha256 is stored. */
  async createApiToken(userId: string, name: string, expiresInDays?: number): Promise<{ token: string; row: ApiTokenRow }> {
    const token = newOpaqueToken('llpat');
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
    return { token, row: await this.users.insertToken(userId, name, sha256Hex(token), expiresAt) };
  }

  private async openSession(user: UserRow): Promise<Session> {
    const refreshToken = newOpaqueToken('llrt');
    await this.users.insertSession(user.id, sha256Hex(refreshToken), new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_S * 1000));
    return { user, accessToken: this.accessToken(user), accessTtlS: this.config.ACCESS_TOKEN_TTL_S, refreshToken, refreshTtlS: this.config.REFRESH_TOKEN_TTL_S };
  }
}
