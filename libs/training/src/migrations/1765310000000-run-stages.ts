import type { MigrationInterface, QueryRunner } from 'typeorm';

/** runs.stages: a recipe run's stages as the trainer's stage events left them ([] for a plain run). */
export class RunStages1765310000000 implements MigrationInterface {
  name = 'RunStages1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE runs ADD COLUMN stages jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE runs DROP COLUMN stages');
  }
}
