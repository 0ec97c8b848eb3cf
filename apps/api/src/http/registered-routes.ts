import type { INestApplication } from '@nestjs/common';

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** The OpenAPI document and its UI: static, public, served by SwaggerModule outside the controllers. */
const OPENAPI_DOCS = /^GET \/api\/docs/;

/** Every `METHOD /path` the running app routes, read from Express's router (not from any table). */
export function registeredRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack
    .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${layer.route?.path}`) : []))
    .filter((route) => !OPENAPI_DOCS.test(route));
}
