import { hostname } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { apiBaseUrl, connect } from '../connection';
import { saveCredential } from '../credentials';

/** A line from stdin; on a terminal the typed characters are not echoed (for passwords). */
async function ask(question: string, secret: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  if (secret && process.stdin.isTTY) (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => s.startsWith(question) && process.stderr.write(question);
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
    if (secret && process.stdin.isTTY) process.stderr.write('\n');
  }
}

/**
 * `lesionlab login`: signs in with e-mail and password once, creates an API token named after this
 * machine, and saves it (0600) for the API at LESIONLAB_API_URL. The password is never stored.
 */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('sign in and save an API token for the other commands')
    .option('--email <email>', 'your LesionLab e-mail (asked when missing)')
    .action(async (options: { email?: string }) => {
      const baseUrl = apiBaseUrl();
      const email = options.email ?? (await ask('E-mail: ', false));
      const password = process.env.LESIONLAB_PASSWORD ?? (await ask('Password: ', true));
      const { data: session } = await connect('').POST('/api/auth/sign-in', { body: { email, password } });
      const { data: created } = await connect(session!.accessToken).POST('/api/auth/tokens', { body: { name: `cli@${hostname()}`.slice(0, 100) } });
      const file = saveCredential(baseUrl, { email, token: created!.token, tokenId: created!.id });
      process.stdout.write(`Signed in to ${baseUrl} as ${email}; API token saved in ${file} (revoke it with \`lesionlab token revoke ${created!.id}\`).\n`);
    });
}
