import type { NextFunction, Request, Response } from 'express';

const ALWAYS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-site',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};
/** The API serves data, never pages: nothing it sends may run script or be framed. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The OpenAPI UI under /api/docs is a page of its own scripts and styles. */
const DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:; frame-ancestors 'none'";

export function securityHeaders(production: boolean) {
  return (request: Request, response: Response, next: NextFunction) => {
    for (const [name, value] of Object.entries(ALWAYS)) response.setHeader(name, value);
    response.setHeader('Content-Security-Policy', request.path.startsWith('/api/docs') ? DOCS_CSP : API_CSP);
    if (production) response.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
