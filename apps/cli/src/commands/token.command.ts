import Table from 'cli-table3';
import type { Command } from 'commander';
import type { Schemas } from '@lesionlab/api-client';
import { connect } from '../connection';
import { print } from '../output';

export function renderTokens(tokens: Schemas['ApiToken'][]): string {
  const table = new Table({ head: ['token', 'name', 'created', 'expires', 'last used', 'revoked'] });
  for (const t of tokens) table.push([t.id, t.name, t.createdAt, t.expiresAt ?? 'never', t.lastUsedAt ?? '', t.revokedAt ?? '']);
  return table.toString();
}

/** `lesionlab token …`: the signed-in user's own API tokens. */
export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('your API tokens: list, revoke');

  token
    .command('list')
    .description('your API tokens (never the secrets themselves)')
    .option('--json', 'print the tokens as JSON')
    .action(async (options: { json?: boolean }) => {
      const { items } = (await connect().GET('/api/auth/tokens')).data!;
      print(options.json, items, () => renderTokens(items));
    });

  token
    .command('revoke <id>')
    .description('revoke one of your API tokens')
    .action(async (id: string) => {
      await connect().DELETE('/api/auth/tokens/{id}', { params: { path: { id } } });
      process.stdout.write(`token ${id} revoked\n`);
    });
}
