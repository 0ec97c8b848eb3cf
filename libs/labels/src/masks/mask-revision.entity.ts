import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RevisionSource } from '../revision-source';
import type { RevisionState } from '../revision-state';

/** One immutable mask revision (the database refuses UPDATE and DELETE on mask_revisions). */
@Entity('mask_revisions')
export class MaskRevisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

  @Column({ type: 'text' })
  author: string;

  @Column({ type: 'text' })
  source: RevisionSource;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @Column({ type: 'text' })
  state: RevisionState;

  @Column({ name: 'review_comment', type: 'text', nullable: true })
  reviewComment: string | null;

  @Column({ name: 'reviewed_by', type: 'text', nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'conflict_with', type: 'uuid', nullable: true })
  conflictWith: string | null;

  @Column({ name: 'import_id', type: 'uuid', nullable: true })
  importId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
