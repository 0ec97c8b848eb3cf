import http from 'node:http';
import type { HealthCheckResult } from '@nestjs/terminus';

/** A small HTTP endpoint (GET /health) for orchestrators: platform checks plus the worker's own counters. */
export function startHealthServer(port: number, report: () => Promise<HealthCheckResult & { worker: unknown }>): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/health') {
      response.writeHead(404, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'The worker serves only GET /health' }),
      );
      return;
    }
    report().then(
      (body) => response.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (error: Error) => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', detail: error.message })),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
