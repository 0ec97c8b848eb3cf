import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@lesionlab/platform';

export interface UserRow {
  id: string;
  email: string;
  role: Role;
  password_hash: string | null;
  disabled_at: Date | null;
  created_at: Date;
  /** the last password change: access tokens issued before it are refused */
  credentials_changed_at: Date | null;
}

/** The sign-in a refresh token belongs to: all its rotations share the family. */
export interface SessionFamily {
  id: string;
  startedAt: Date;
}

export interface UserChange {
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const TOKEN_COLUMNS = 'id, name, created_at, expires_at, last_used_at, revoked_at';

/** Users, their API tokens and their web sessions; every statement takes its values as parameters. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  async count(): Promise<number> {
    return (await this.db.query('SELECT count(*)::int AS n FROM users'))[0].n as number;
  }

  /** The new user, or null when the e-mail is taken. */
  async insert(email: string, role: Role, passwordHash: string | null): Promise<UserRow | null> {
    const rows = await this.db.query('INSERT INTO users (email, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING *', [email, role, passwordHash]);
    return (rows[0] as UserRow) ?? null;
  }

  /** The first user of an empty database, inserted under a lock so two starting processes make one. */
  async insertFirst(email: string, passwordHash: string): Promise<UserRow | null> {
    return this.db.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('lesionlab.first-admin'))");
      const rows = await manager.query("INSERT INTO users (email, role, password_hash) SELECT $1, 'admin', $2 WHERE NOT EXISTS (SELECT 1 FROM users) RETURNING *", [email, passwordHash]);
      return (rows[0] as UserRow) ?? null;
    });
  }

  async byEmail(email: string): Promise<UserRow | null> {
    return ((await this.db.query('SELECT * FROM users WHERE email = $1', [email]))[0] as UserRow) ?? null;
  }

  async byId(id: string): Promise<UserRow | null> {
    return ((await this.db.query('SELECT * FROM users WHERE id = $1', [id]))[0] as UserRow) ?? null;
  }

  async list(): Promise<UserRow[]> {
    return this.db.query('SELECT * FROM users ORDER BY email');
  }

  /**
   * Applies the change (null: no such user; 'last-admin': it would leave no enabled admin, so nothing
   * changed). A new password also revokes the user's sessions and API tokens and refuses access
   * tokens issued before `at`. Changes are serialised under one lock, so two admins demoting each
   * other at once cannot both succeed.
   */
  async update(id: string, change: UserChange, at: Date): Promise<UserRow | null | 'last-admin'> {
    return this.db.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('lesionlab.user-changes'))");
      const before = ((await manager.query('SELECT * FROM users WHERE id = $1', [id]))[0] as UserRow) ?? null;
      if (!before) return null;
      const losesAdmin = before.role === 'admin' && before.disabled_at === null && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
      if (losesAdmin) {
        const others = (await manager.query("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1", [id]))[0].n as number;
        if (others === 0) return 'last-admin';
      }
      const rows = await manager.query(
        `UPDATE users SET role = COALESCE($2, role),
                disabled_at = CASE WHEN $3::boolean IS NULL THEN disabled_at WHEN $3 THEN COALESCE(disabled_at, now()) ELSE NULL END,
                password_hash = COALESCE($4, password_hash),
                credentials_changed_at = CASE WHEN $4::text IS NULL THEN credentials_changed_at ELSE $5 END
          WHERE id = $1 RETURNING *`,
        [id, change.role ?? null, change.disabled ?? null, change.passwordHash ?? null, at],
      );
      if (change.passwordHash) {
        await manager.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
        await manager.query('UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
      }
      return rows[0][0] as UserRow;
    });
  }

  async insertToken(userId: string, name: string, tokenSha256: string, expiresAt: Date | null): Promise<ApiTokenRow> {
    const rows = await this.db.query(`INSERT INTO api_tokens (user_id, name, token_sha256, expires_at) VALUES ($1, $2, $3, $4) RETURNING ${TOKEN_COLUMNS}`, [userId, name, tokenSha256, expiresAt]);
    return rows[0] as ApiTokenRow;
  }

  async tokensOf(userId: string): Promise<ApiTokenRow[]> {
    return this.db.query(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC`, [userId]);
  }

  /** Revokes one of the user's tokens; false when the user has no such live token. */
  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id', [tokenId, userId]);
    return rows[0].length > 0;
  }

  /** The enabled user holding this live API token; marks the token used (at most once a minute). */
  async userOfToken(tokenSha256: string): Promise<UserRow | null> {
    const rows = await this.db.query(
      `WITH hit AS (
         SELECT t.id FROM api_tokens t
          WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
       ), touched AS (
         UPDATE api_tokens SET last_used_at = now()
          WHERE id IN (SELECT id FROM hit) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
       )
       SELECT u.* FROM users u JOIN api_tokens t ON t.user_id = u.id
        WHERE t.id IN (SELECT id FROM hit) AND u.disabled_at IS NULL`,
      [tokenSha256],
    );
    return (rows[0] as UserRow) ?? null;
  }

  async insertSession(userId: string, tokenSha256: string, expiresAt: Date, family: SessionFamily): Promise<void> {
    await this.db.query('INSERT INTO sessions (user_id, token_sha256, expires_at, family_id, family_started_at) VALUES ($1, $2, $3, $4, $5)', [
      userId,
      tokenSha256,
      expiresAt,
      family.id,
      family.startedAt,
    ]);
  }

  /**
   * Ends a live session and returns its user (enabled or not) and family (null when the token is unknown,
   * used, revoked, expired or its sign-in is older than `maxAgeS`): each refresh token works once.
   * A token that was already used or revoked is a stolen copy or a replay: its whole family ends.
   * (Two requests racing with the same live token: the loser waits for the winner's row lock and
   * finds it used, but its snapshot still saw it live, so it does not end the family.)
   */
  async consumeSession(tokenSha256: string, maxAgeS: number): Promise<{ user: UserRow; family: SessionFamily } | null> {
    const rows = await this.db.query(
      `WITH used AS (
         UPDATE sessions SET revoked_at = now()
          WHERE token_sha256 = $1 AND revoked_at IS NULL AND expires_at > now() AND family_started_at > now() - make_interval(secs => $2)
          RETURNING user_id, family_id, family_started_at
       ), replayed AS (
         UPDATE sessions SET revoked_at = now()
          WHERE revoked_at IS NULL AND family_id IN (SELECT family_id FROM sessions WHERE token_sha256 = $1 AND revoked_at IS NOT NULL)
       )
       SELECT u.*, used.family_id, used.family_started_at FROM users u JOIN used ON used.user_id = u.id`,
      [tokenSha256, maxAgeS],
    );
    const row = rows[0] as (UserRow & { family_id: string; family_started_at: Date }) | undefined;
    if (!row) return null;
    const { family_id, family_started_at, ...user } = row;
    return { user, family: { id: family_id, startedAt: family_started_at } };
  }
}
