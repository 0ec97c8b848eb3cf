import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** API tokens saved by `lesionlab login`, one per API address, in a file only the user can read. */
export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'lesionlab', 'credentials.json');
}

type Saved = Record<string, { email: string; token: string; tokenId: string }>;

function read(file: string): Saved {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Saved;
  } catch {
    return {};
  }
}

export function saveCredential(baseUrl: string, credential: Saved[string], env: NodeJS.ProcessEnv = process.env): string {
  const file = credentialsFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify({ ...read(file), [baseUrl]: credential }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The bearer token for an API: LESIONLAB_TOKEN, else the one `lesionlab login` saved for it. */
export function tokenFor(baseUrl: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.LESIONLAB_TOKEN || read(credentialsFile(env))[baseUrl]?.token;
}
