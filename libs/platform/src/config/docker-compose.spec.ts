import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';

interface Service {
  environment?: Record<string, string>;
  ports?: unknown[];
}
interface Compose {
  'x-platform-env': Record<string, string>;
  services: Record<string, Service>;
}

const compose = load(fs.readFileSync(path.resolve(__dirname, '../../../../docker-compose.yml'), 'utf8')) as Compose;
const SECRETS = ['POSTGRES_PASSWORD', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'SIGNING_SECRET'];

/** Every `${VAR…}` reference in the file's values, with what follows the name (`:?message`, `:-default`…). */
function references(value: unknown, found: Array<{ name: string; form: string }> = []): Array<{ name: string; form: string }> {
  if (typeof value === 'string') for (const m of value.matchAll(/\$\{([A-Z0-9_]+)([^}]*)\}/g)) found.push({ name: m[1], form: m[2] });
  else if (value && typeof value === 'object') for (const v of Object.values(value)) references(v, found);
  return found;
}

describe('docker-compose.yml', () => {
  it('refuses to start without each secret: every reference is ${VAR:?message}, never a default', () => {
    const refs = references(compose).filter((r) => SECRETS.includes(r.name));
    expect(new Set(refs.map((r) => r.name))).toEqual(new Set(SECRETS));
    for (const ref of refs) expect(`${ref.name}${ref.form}`).toMatch(new RegExp(`^${ref.name}:\\?.{10,}`));
  });

  it('publishes no port of PostgreSQL, Redis or the S3 server', () => {
    for (const name of ['postgres', 'redis', 's3']) {
      expect(compose.services[name]).toBeDefined();
      expect({ name, ports: compose.services[name].ports ?? [] }).toEqual({ name, ports: [] });
    }
  });

  it('runs the platform in production mode, so weak secrets are refused at start-up', () => {
    expect(compose['x-platform-env'].NODE_ENV).toBe('production');
  });
});
