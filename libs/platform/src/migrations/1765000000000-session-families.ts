import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revocation that works:
 * - sessions.family_id: every refresh token rotated from one sign-in shares it, so the reuse of a
 *   rotated token (a stolen copy) can end the whole family; family_started_at is that sign-in's time,
 *   the start of the session's absolute lifetime (SESSION_MAX_AGE_S).
 * - users.credentials_changed_at: set when the password changes; access tokens issued before it are
 *   refused, as are the sessions and API tokens that the change revokes.
 */
export class SessionFamilies1765000000000 implements MigrationInterface {
  name = 'SessionFamilies1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sessions ADD COLUMN family_id uuid, ADD COLUMN family_started_at timestamptz');
    await q.query('UPDATE sessions SET family_id = id, family_started_at = created_at');
    await q.query('ALTER TABLE sessions ALTER COLUMN family_id SET NOT NULL, ALTER COLUMN family_started_at SET NOT NULL');
    await q.query('CREATE INDEX sessions_family_idx ON sessions (family_id)');
    await q.query('CREATE INDEX sessions_user_idx ON sessions (user_id)');
    await q.query('ALTER TABLE users ADD COLUMN credentials_changed_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN credentials_changed_at');
    await q.query('DROP INDEX sessions_user_idx');
    await q.query('DROP INDEX sessions_family_idx');
    await q.query('ALTER TABLE sessions DROP COLUMN family_started_at, DROP COLUMN family_id');
  }
}
