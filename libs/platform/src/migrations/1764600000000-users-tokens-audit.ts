import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access and audit:
 * - users: one row per person or automation account, with a role and a scrypt password hash (null
 *   for accounts that only use API tokens).
 * - api_tokens: long-lived bearer tokens for the CLI and automation, stored as sha256 of the token
 *   (the token itself is shown once), revocable.
 * - sessions: the web's refresh tokens (sha256 too), rotated on every refresh.
 * - audit_log: every change made through the API, append-only (a trigger refuses UPDATE and DELETE).
 */
export class UsersTokensAudit1764600000000 implements MigrationInterface {
  name = 'UsersTokensAudit1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email          text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$' AND length(email) <= 200),
        role           text NOT NULL CHECK (role IN ('admin', 'data-manager', 'ml-engineer', 'reviewer', 'annotator')),
        password_hash  text,
        disabled_at    timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (email)
      )`);
    await q.query(`
      CREATE TABLE api_tokens (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       uuid NOT NULL REFERENCES users (id),
        name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        token_sha256  char(64) NOT NULL UNIQUE,
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz,
        last_used_at  timestamptz,
        revoked_at    timestamptz
      )`);
    await q.query('CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)');
    await q.query(`
      CREATE TABLE sessions (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       uuid NOT NULL REFERENCES users (id),
        token_sha256  char(64) NOT NULL UNIQUE,
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        revoked_at    timestamptz
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id           bigserial PRIMARY KEY,
        at           timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor        text NOT NULL,
        actor_role   text,
        action       text NOT NULL,
        ids          jsonb NOT NULL DEFAULT '{}',
        status       integer NOT NULL,
        ip           text,
        user_agent   text,
        request_id   text
      )`);
    await q.query('CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)');
    await q.query('CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC)');
    await q.query(`
      CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
    await q.query('DROP FUNCTION refuse_audit_change');
    await q.query('DROP TABLE sessions');
    await q.query('DROP TABLE api_tokens');
    await q.query('DROP TABLE users');
  }
}
