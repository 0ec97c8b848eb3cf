import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PatientLabel } from '@lesionlab/contracts';

@Entity('patients')
export class Patient {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') collection!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text') label!: PatientLabel;
  @Column('text', { name: 'label_source', nullable: true }) labelSource!: string | null;
  @Column('jsonb') metadata!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
