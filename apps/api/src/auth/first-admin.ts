import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, hashPassword, type Config } from '@lesionlab/platform';
import { normaliseEmail } from './auth.service';
import { UsersRepository } from './users.repository';

/**
 * The first start of an empty database creates an admin: LESIONLAB_ADMIN_EMAIL with
 * LESIONLAB_ADMIN_PASSWORD, or with a generated password printed once on stdout (never logged).
 */
@Injectable()
export class FirstAdmin {
  constructor(
    private readonly users: UsersRepository,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async ensure(print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<boolean> {
    if ((await this.users.count()) > 0) return false;
    const given = this.config.LESIONLAB_ADMIN_PASSWORD;
    const password = given ?? randomBytes(18).toString('base64url');
    const email = normaliseEmail(this.config.LESIONLAB_ADMIN_EMAIL);
    const created = await this.users.insertFirst(email, await hashPassword(password));
    if (!created) return false;
    print(given ? `LesionLab: created the admin ${email} (password from LESIONLAB_ADMIN_PASSWORD)` : `LesionLab: created the admin ${email} with the password ${password} — shown this once; change it after signing in`);
    return true;
  }
}
