import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One CT series of a patient; `seriesKey` is the series UID where the source has one. */
@Entity('scans')
export class Scan {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'patient_id' }) patientId!: string;
  @Column('text', { name: 'series_key' }) seriesKey!: string;
  @Column('text', { name: 'study_uid', nullable: true }) studyUid!: string | null;
  @Column('text', { name: 'series_uid', nullable: true }) seriesUid!: string | null;
  @Column('real', { name: 'slice_spacing_mm', nullable: true }) sliceSpacingMm!: number | null;
  @Column('real', { name: 'pixel_spacing_mm', array: true, nullable: true }) pixelSpacingMm!: number[] | null;
  @Column('jsonb') metadata!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
