import type { INestApplication } from '@nestjs/common';
import type { Role } from '@lesionlab/platform';
import { AuthService } from './auth.service';
import { UsersRepository } from './users.repository';

/**
 * For tests: the Authorization header of a user with this role (created without a password when
 * missing), carrying a fresh access token exactly like a sign-in would issue.
 */
export async function actAs(app: INestApplication, role: Role, email = `${role}@lesionlab.test`): Promise<{ Authorization: string }> {
  const auth = app.get(AuthService);
  const user = (await auth.createUser(email, role)) ?? (await app.get(UsersRepository).byEmail(email));
  if (!user || user.role !== role) throw new Error(`test user ${email} exists with another role`);
  return { Authorization: `Bearer ${auth.accessToken(user)}` };
}
