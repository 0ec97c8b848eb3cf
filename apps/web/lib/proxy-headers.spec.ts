import { spawn } from 'node:child_process';
import path from 'node:path';
import { responseHeadersFromApi, requestHeadersForApi } from './proxy-headers';

const PRELOAD = path.resolve(__dirname, '../../../infra/scripts/web-peer-address.js');

/** What a server started like `next start` (with the preload) sees of a request carrying `headers`. */
function seenByPreloadedServer(headers: Record<string, string>): Promise<Record<string, string>> {
  const server = `require('node:http').createServer((q, r) => r.end(JSON.stringify(q.headers))).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-r', PRELOAD, '-e', server], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', async (chunk: Buffer) => {
      try {
        const response = await fetch(`http://127.0.0.1:${chunk.toString().trim()}/`, { headers });
        resolve((await response.json()) as Record<string, string>);
      } catch (error) {
        reject(error);
      } finally {
        child.kill();
      }
    });
  });
}

describe('the web server /api proxy', () => {
  it('sends the API the address of its peer only, whatever X-Forwarded-For the caller wrote', () => {
    // Next.js puts the socket's peer address into X-Forwarded-For (the preload removed the caller's).
    const incoming = new Headers({ 'x-forwarded-for': '192.0.2.10', origin: 'http://localhost:4200', cookie: 'a=b', connection: 'keep-alive', host: 'web:4200', forwarded: 'for=6.6.6.6', 'x-real-ip': '6.6.6.6' });
    const outgoing = requestHeadersForApi(incoming);
    expect(outgoing.get('x-forwarded-for')).toBe('192.0.2.10');
    expect(outgoing.get('origin')).toBe('http://localhost:4200');
    expect(outgoing.get('cookie')).toBe('a=b');
    for (const name of ['connection', 'host', 'forwarded', 'x-real-ip']) expect(outgoing.has(name)).toBe(false);
    expect(requestHeadersForApi(new Headers({ 'x-forwarded-for': '6.6.6.6, 192.0.2.10' })).get('x-forwarded-for')).toBe('192.0.2.10');
  });

  it('passes the answer back without hop-by-hop headers or a content encoding it already undid', () => {
    const headers = responseHeadersFromApi(new Headers({ 'content-type': 'application/json', 'content-encoding': 'gzip', 'transfer-encoding': 'chunked', 'x-request-id': 'r1' }));
    expect([...headers.keys()].sort()).toEqual(['content-type', 'x-request-id']);
  });

  it('runs the web server with a preload that drops the caller\'s X-Forwarded-For before Next.js reads it', async () => {
    const seen = await seenByPreloadedServer({ 'x-forwarded-for': '6.6.6.6', 'x-other': 'kept' });
    expect(seen['x-forwarded-for']).toBeUndefined();
    expect(seen['x-other']).toBe('kept');
  });
});
