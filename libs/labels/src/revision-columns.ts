import { Column, CreateDateColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { RevisionSource } from './revision-source';
import type { RevisionState } from './revision-state';

/** What every revision (mask or label) records besides its value: who, how, from what, and its review. */
export abstract class RevisionColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
