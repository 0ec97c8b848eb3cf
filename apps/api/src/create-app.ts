import 'reflect-metadata';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { createLogger, NestPinoLogger, type Config, type Logger } from '@lesionlab/platform';
import { AppModule } from './app.module';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditRepository } from './audit/audit.repository';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { requestContext } from './http/request-context.middleware';
import { securityHeaders } from './http/security-headers';
import { buildOpenApiDocument } from './openapi/document';

/** Builds the HTTP application (without listening): used by main() and by the tests. */
export async function createApp(config: Config, logger: Logger = createLogger('api', config.LOG_LEVEL)): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  // Whose X-Forwarded-For to believe: by default only the web server's /api proxy beside the API,
  // which overwrites the header with the address it sees (TRUST_PROXY names other proxies).
  app.set('trust proxy', /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY);
  app.useBodyParser('json', { limit: config.BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.setGlobalPrefix('api');
  const allowedOrigins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  app.enableCors({ origin: allowedOrigins, credentials: true });
  app.use(requestContext(logger));
  app.use(securityHeaders(config.NODE_ENV === 'production'));
  app.useGlobalGuards(new AuthGuard(app.get(AuthService), { allowedOrigins, audit: app.get(AuditRepository), logger }));
  app.useGlobalInterceptors(new AuditInterceptor(app.get(AuditRepository), app.get(Reflector), logger));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.enableShutdownHooks();
  // The document is generated from the operations table (apps/api/src/openapi), not from the controllers.
  const document = buildOpenApiDocument({ serverUrl: config.PUBLIC_API_URL });
  SwaggerModule.setup('api/docs', app, document as unknown as OpenAPIObject, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
