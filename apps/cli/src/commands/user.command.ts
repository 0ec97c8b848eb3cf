import { randomBytes } from 'node:crypto';
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { ROLES } from '@lesionlab/contracts';
import type { ApiClient, Schemas } from '@lesionlab/api-client';
import { connect } from '../connection';
import { CommandFailure, EXIT } from '../exit-codes';
import { print } from '../output';

type User = Schemas['User'];

export function renderUsers(users: User[]): string {
  const table = new Table({ head: ['user', 'email', 'role', 'disabled', 'created'] });
  for (const u of users) table.push([u.id, u.email, u.role, u.disabled ? 'yes' : '', u.createdAt]);
  return table.toString();
}

/** A user by id or e-mail. */
async function findUser(api: ApiClient, idOrEmail: string): Promise<User> {
  const { items } = (await api.GET('/api/users')).data!;
  const user = items.find((u) => u.id === idOrEmail || u.email.toLowerCase() === idOrEmail.toLowerCase());
  if (!user) throw new CommandFailure(`no user ${idOrEmail}`, EXIT.notFound);
  return user;
}

/** `lesionlab user …` (admins): add, list, disable. */
export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('accounts (admin): add, list, disable');

  user
    .command('add <email>')
    .description('add a user; without --generate-password they sign in with API tokens only')
    .addOption(new Option('--role <role>', 'their role').choices([...ROLES]).makeOptionMandatory())
    .option('--generate-password', 'give them a random first password, printed once')
    .option('--json', 'print the user (and the password) as JSON')
    .action(async (email: string, options: { role: User['role']; generatePassword?: boolean; json?: boolean }) => {
      const password = options.generatePassword ? randomBytes(18).toString('base64url') : undefined;
      const created = (await connect().POST('/api/users', { body: { email, role: options.role, ...(password && { password }) } })).data!;
      print(options.json, { ...created, ...(password && { password }) }, () =>
        [renderUsers([created]), password ? `first password (shown once, pass it on safely): ${password}` : 'no password: they sign in with API tokens only'].join('\n'),
      );
    });

  user
    .command('list')
    .description('every account')
    .option('--json', 'print the users as JSON')
    .action(async (options: { json?: boolean }) => {
      const { items } = (await connect().GET('/api/users')).data!;
      print(options.json, items, () => renderUsers(items));
    });

  user
    .command('disable <user>')
    .description('disable an account (by id or e-mail): its sessions and tokens stop working')
    .option('--json', 'print the user as JSON')
    .action(async (idOrEmail: string, options: { json?: boolean }) => {
      const api = connect();
      const { id } = await findUser(api, idOrEmail);
      const changed = (await api.PATCH('/api/users/{id}', { params: { path: { id } }, body: { disabled: true } })).data!;
      print(options.json, changed, () => renderUsers([changed]));
    });
}
