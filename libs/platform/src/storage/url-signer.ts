import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignedMethod = 'GET' | 'PUT';

/** HMAC-signed, expiring URLs for the fs driver, served by the API's /api/objects route. */
export class UrlSigner {
  constructor(
    private readonly secret: string,
    private readonly baseUrl: string,
  ) {}

  sign(method: SignedMethod, key: string, expiresInSeconds: number, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + expiresInSeconds;
    const url = new URL(`/api/objects/${key.split('/').map(encodeURIComponent).join('/')}`, this.baseUrl);
    url.searchParams.set('method', method);
    url.searchParams.set('expires', String(expires));
    url.searchParams.set('signature', this.signature(method, key, expires));
    return url.toString();
  }

  /** Returns why the signature is unacceptable, or null when it is valid. */
  verify(method: SignedMethod, key: string, expires: string, signature: string, now = Date.now()): string | null {
    const expiresAt = Number(expires);
    if (!Number.isInteger(expiresAt)) return 'the URL has no valid expiry';
    if (expiresAt * 1000 < now) return 'the URL has expired';
    const expected = Buffer.from(this.signature(method, key, expiresAt), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the signature does not match';
    return null;
  }

  private signature(method: SignedMethod, key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${method}\n${key}\n${expires}`).digest('hex');
  }
}
