import type { Request } from 'express';
import { ACCESS_COOKIE, cookieOf, REFRESH_COOKIE } from '../auth/session-cookies';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOfReferer(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/**
 * Why a change must be refused as possibly forged by another site, or null when it may go on. A
 * browser attaches the session cookies to any request to the API, even one a foreign page starts
 * (a form post or a body-less POST needs no CORS preflight), so a change carrying them (and no
 * bearer token, which no page can attach by itself) must come from an origin in CORS_ORIGINS, as its
 * Origin header (or else its Referer) tells. Browsers send Origin on every POST/PUT/PATCH/DELETE.
 */
export function crossOriginRefusal(request: Request, allowedOrigins: readonly string[]): string | null {
  if (!CHANGES.has(request.method) || request.header('authorization')) return null;
  if (cookieOf(request, ACCESS_COOKIE) === undefined && cookieOf(request, REFRESH_COOKIE) === undefined) return null;
  const origin = request.header('origin') ?? originOfReferer(request.header('referer'));
  if (origin && allowedOrigins.includes(origin)) return null;
  return origin
    ? `A change signed in by cookie must come from an origin in CORS_ORIGINS; this one came from ${origin.slice(0, 200)}`
    : 'A change signed in by cookie must say where it comes from (an Origin or Referer header in CORS_ORIGINS); this one says nothing';
}
