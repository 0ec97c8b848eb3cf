import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Introduced save_mask_revision, a human mask save as one statement (one round trip instead of six).
 * The function is now a definition, definitions/save-mask-revision.sql, which the runner applies
 * after the migrations whenever its text changes; this step of the history creates nothing any more
 * (databases that ran it have the function replaced by the definition).
 */
export class SaveMaskRevision1764800000000 implements MigrationInterface {
  name = 'SaveMaskRevision1764800000000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
