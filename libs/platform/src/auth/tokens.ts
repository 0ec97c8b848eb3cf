import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRole, type Role } from './roles';

/** Long-lived secrets (API tokens, refresh tokens): 256 random bits, stored only as their sha256 (sha256Hex). */
export function newOpaqueToken(prefix: 'llpat' | 'llrt'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export interface AccessClaims {
  /** user id */
  sub: string;
  email: string;
  role: Role;
  /** expiry, seconds since the epoch */
  exp: number;
  /** issue time, milliseconds since the epoch: a password change refuses tokens issued before it */
  iatMs: number;
}

/**
 * Short-lived access tokens: `llat.<claims, base64url JSON>.<HMAC-SHA256>`. The key is derived from
 * SIGNING_SECRET with its own label, so these can never be confused with presigned object URLs.
 */
export class AccessTokenSigner {
  private readonly key: Buffer;

  constructor(signingSecret: string) {
    this.key = createHmac('sha256', signingSecret).update('lesionlab access token v1').digest();
  }

  sign(claims: AccessClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `llat.${body}.${this.mac(body)}`;
  }

  /** The claims of a valid, unexpired token; null for anything else. */
  verify(token: string, nowS = Math.floor(Date.now() / 1000)): AccessClaims | null {
    const [kind, body, mac] = token.split('.');
    if (kind !== 'llat' || !body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as AccessClaims;
      if (typeof claims.sub !== 'string' || typeof claims.email !== 'string' || !isRole(claims.role) || !(claims.exp > nowS) || typeof claims.iatMs !== 'number') return null;
      return claims;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
