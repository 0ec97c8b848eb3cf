import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ImportFailure, ImportFormat } from '@lesionlab/contracts';

export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One run of an importer (the `imports` table). */
@Entity('imports')
export class ImportRunEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') source!: string;
  @Column('text') format!: ImportFormat;
  @Column('jsonb') options!: Record<string, unknown>;
  @Column('text') status!: ImportStatus;
  @Column('integer') found!: number;
  @Column('integer') imported!: number;
  @Column('integer') duplicates!: number;
  @Column('integer') failed!: number;
  @Column('integer') masks!: number;
  @Column('jsonb') failures!: ImportFailure[];
  @Column('jsonb') timings!: Record<string, number>;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('text', { name: 'job_id', nullable: true }) jobId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
