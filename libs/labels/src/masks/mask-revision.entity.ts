import { Column, Entity } from 'typeorm';
import type { MaskOrigin } from '@lesionlab/contracts';
import { RevisionColumns } from '../revision-columns';

/** One immutable mask revision (the database refuses UPDATE and DELETE on mask_revisions). */
@Entity('mask_revisions')
export class MaskRevisionEntity extends RevisionColumns {
  @Column({ name: 'slice_id', type: 'uuid' })
  sliceId: string;

  @Column({ type: 'text' })
  class: string;

  @Column({ type: 'integer' })
  height: number;

  @Column({ type: 'integer' })
  width: number;

  @Column({ name: 'rle_counts', type: 'text' })
  rleCounts: string;

  @Column({ type: 'integer' })
  area: number;

  @Column({ name: 'import_id', type: 'uuid', nullable: true })
  importId: string | null;

  @Column({ type: 'jsonb' })
  origin: MaskOrigin;

  /** COCO counts of the draft this revision's line started from (same size as the revision); null without one. */
  @Column({ name: 'draft_rle_counts', type: 'text', nullable: true })
  draftRleCounts: string | null;

  @Column({ name: 'active_seconds', type: 'real', nullable: true })
  activeSeconds: number | null;
}
