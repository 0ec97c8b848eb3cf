import type { CookieOptions, Request, Response } from 'express';

/** The web's credentials: both httpOnly, SameSite=Strict (no cross-site request carries them). */
export const ACCESS_COOKIE = 'lesionlab_access';
export const REFRESH_COOKIE = 'lesionlab_refresh';
const REFRESH_PATH = '/api/auth';

export function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function options(secure: boolean, path: string, maxAgeS?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure, path, ...(maxAgeS === undefined ? {} : { maxAge: maxAgeS * 1000 }) };
}

export function setSessionCookies(response: Response, secure: boolean, session: { accessToken: string; accessTtlS: number; refreshToken: string; refreshTtlS: number }): void {
  response.cookie(ACCESS_COOKIE, session.accessToken, options(secure, '/api', session.accessTtlS));
  response.cookie(REFRESH_COOKIE, session.refreshToken, options(secure, REFRESH_PATH, session.refreshTtlS));
}

export function clearSessionCookies(response: Response, secure: boolean): void {
  response.clearCookie(ACCESS_COOKIE, options(secure, '/api'));
  response.clearCookie(REFRESH_COOKIE, options(secure, REFRESH_PATH));
}
