import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RevisionSource } from '../revision-source';
import type { RevisionState } from '../revision-state';

/**
 * One immutable label revision: a patient label (covid/negative) or a slice label (opacification
 * present/absent). Exactly one of patientId and sliceId is set.
 */
@Entity('label_revisions')
export class LabelRevisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'patient_id', type: 'uuid', nullable: true })
  patientId: string | null;

  @Column({ name: 'slice_id', type: 'uuid', nullable: true })
  sliceId: string | null;

  @Column({ type: 'text' })
  value: 'covid' | 'negative' | 'present' | 'absent';

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
