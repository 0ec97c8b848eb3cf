import type { QualityWarning } from '@lesionlab/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LesionFacts } from '../facts/lesion-facts';

/** The facts derived from one revision's mask when it was saved (immutable like the revision). */
@Entity('mask_revision_facts')
export class MaskRevisionFactsEntity {
  @PrimaryColumn({ name: 'revision_id', type: 'uuid' })
  revisionId: string;

  @Column({ name: 'slice_id', type: 'uuid' })
  sliceId: string;

  @Column({ name: 'lesion_count', type: 'integer' })
  lesionCount: number;

  @Column({ name: 'speck_count', type: 'integer' })
  speckCount: number;

  @Column({ name: 'min_lesion_px', type: 'integer' })
  minLesionPx: number;

  @Column({ name: 'area_px', type: 'integer' })
  areaPx: number;

  @Column({ name: 'area_mm2', type: 'real', nullable: true })
  areaMm2: number | null;

  @Column({ name: 'lung_field_known', type: 'boolean' })
  lungFieldKnown: boolean;

  @Column({ type: 'jsonb' })
  lesions: LesionFacts[];

  @Column({ type: 'jsonb' })
  warnings: QualityWarning[];
}
