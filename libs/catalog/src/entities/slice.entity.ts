import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PatientLabel, SupervisionKind } from '@lesionlab/contracts';

@Entity('slices')
export class Slice {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'scan_id' }) scanId!: string;
  @Column('uuid', { name: 'patient_id' }) patientId!: string;
  @Column('integer', { name: 'slice_index' }) sliceIndex!: number;
  @Column('integer') width!: number;
  @Column('integer') height!: number;
  @Column('smallint', { name: 'bit_depth' }) bitDepth!: 8 | 16;
  @Column('smallint', { name: 'pixel_representation' }) pixelRepresentation!: 0 | 1;
  @Column('real', { name: 'rescale_slope' }) rescaleSlope!: number;
  @Column('real', { name: 'rescale_intercept' }) rescaleIntercept!: number;
  @Column('real', { name: 'window_center', nullable: true }) windowCenter!: number | null;
  @Column('real', { name: 'window_width', nullable: true }) windowWidth!: number | null;
  @Column('char', { name: 'pixel_blob', length: 64 }) pixelBlob!: string;
  @Column('char', { name: 'thumbnail_blob', length: 64, nullable: true }) thumbnailBlob!: string | null;
  @Column('char', { name: 'original_blob', length: 64, nullable: true }) originalBlob!: string | null;
  @Column('text', { name: 'source_name', nullable: true }) sourceName!: string | null;
  /** The patient's label, copied here so filters need no join; kept in sync by PatientsRepository.setLabel. */
  @Column('text') cohort!: PatientLabel;
  @Column('text') supervision!: SupervisionKind;
  @Column('uuid', { name: 'import_id', nullable: true }) importId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
