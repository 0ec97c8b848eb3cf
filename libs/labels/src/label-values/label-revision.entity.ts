import { Column, Entity } from 'typeorm';
import { RevisionColumns } from '../revision-columns';

/**
 * One immutable label revision: a patient label (covid/negative) or a slice label (opacification
 * present/absent). Exactly one of patientId and sliceId is set.
 */
@Entity('label_revisions')
export class LabelRevisionEntity extends RevisionColumns {
  @Column({ name: 'patient_id', type: 'uuid', nullable: true })
  patientId: string | null;

  @Column({ name: 'slice_id', type: 'uuid', nullable: true })
  sliceId: string | null;

  @Column({ type: 'text' })
  value: 'covid' | 'negative' | 'present' | 'absent';
}
