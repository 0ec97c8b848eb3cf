import { Writable } from 'node:stream';
import { createLogger, redactUrl } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('test', 'info', stream), text: () => lines.join('') };
}

describe('log redaction', () => {
  it('never writes passwords, tokens, cookies or secrets, at the top level or one level down', () => {
    const { logger, text } = capture();
    const secrets = ['pw-123456789', 'llpat_abcdef', 'llat.x.y', 'llrt_zzz', 'Bearer llat.a.b', 'lesionlab_refresh=llrt_q', 'sig-abc', 'signing-secret-value', 's3-secret-value', 'admin-pw-value'];
    logger.info({ password: secrets[0], token: secrets[1], accessToken: secrets[2], refreshToken: secrets[3], SIGNING_SECRET: secrets[7] }, 'top');
    logger.info({ body: { password: secrets[0], token: secrets[1] }, config: { S3_SECRET_ACCESS_KEY: secrets[8], LESIONLAB_ADMIN_PASSWORD: secrets[9] } }, 'nested');
    logger.info({ req: { headers: { authorization: secrets[4], cookie: secrets[5] } }, res: { headers: { 'set-cookie': secrets[5] } }, signature: secrets[6] }, 'http');
    const written = text();
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(written.match(/\[redacted\]/g)?.length).toBe(13);
  });

  it('hides signature and token query values in URLs', () => {
    expect(redactUrl('/api/objects/a/b?method=GET&expires=1&signature=abc123')).toBe('/api/objects/a/b?method=GET&expires=1&signature=[redacted]');
    expect(redactUrl('/x?token=llpat_1&y=2')).toBe('/x?token=[redacted]&y=2');
    expect(redactUrl('/api/slices?limit=5')).toBe('/api/slices?limit=5');
  });
});
