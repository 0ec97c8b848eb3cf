import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SupervisionKind } from '@lesionlab/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { LabelRevisionEntity } from './label-revision.entity';
import { pendingSubmission, visibleInLine } from '../revision-sql';

/** What a label is about: a patient (covid/negative) or a slice (opacification present/absent). */
export interface LabelSubject {
  kind: 'patient' | 'slice';
  id: string;
}

export type NewLabelRevision = Omit<LabelRevisionEntity, 'id' | 'createdAt'>;

const SUBJECT_COLUMN = { patient: 'patient_id', slice: 'slice_id' } as const;
const SUBJECT_TABLE = { patient: 'patients', slice: 'slices' } as const;

const currentForViewer = (subject: LabelSubject) => `${SUBJECT_COLUMN[subject.kind]} = $1 AND ${visibleInLine('$2')}`;
const PENDING_SUBMISSION = pendingSubmission('label_revisions');

@Injectable()
export class LabelRevisionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serialises writes to the subject's labels; false when there is no such patient or slice. */
  async lockSubject(manager: EntityManager, subject: LabelSubject): Promise<boolean> {
    const rows = await manager.query(`SELECT id FROM ${SUBJECT_TABLE[subject.kind]} WHERE id = $1 FOR NO KEY UPDATE`, [subject.id]);
    return rows.length > 0;
  }

  async currentId(manager: EntityManager, subject: LabelSubject, viewer: string): Promise<string | null> {
    const rows = await manager.query(
      `SELECT id FROM label_revisions WHERE ${currentForViewer(subject)} ORDER BY created_at DESC, id DESC LIMIT 1`,
      [subject.id, viewer],
    );
    return rows[0]?.id ?? null;
  }

  async current(subject: LabelSubject, viewer: string): Promise<LabelRevisionEntity | null> {
    const id = await this.currentId(this.dataSource.manager, subject, viewer);
    return id === null ? null : this.byId(id);
  }

  async revisionOfSubject(manager: EntityManager, revisionId: string, subject: LabelSubject): Promise<string | null> {
    const rows = await manager.query(`SELECT id FROM label_revisions WHERE id = $1 AND ${SUBJECT_COLUMN[subject.kind]} = $2`, [revisionId, subject.id]);
    return rows[0]?.id ?? null;
  }

  async insert(manager: EntityManager, revision: NewLabelRevision): Promise<LabelRevisionEntity> {
    const result = await manager.insert(LabelRevisionEntity, revision);
    const { id, createdAt } = result.generatedMaps[0] as { id: string; createdAt: Date };
    return Object.assign(new LabelRevisionEntity(), revision, { id, createdAt });
  }

  async isPending(manager: EntityManager, revisionId: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM label_revisions r WHERE r.id = $1 AND ${PENDING_SUBMISSION}`, [revisionId]);
    return rows.length > 0;
  }

  /**
   * Makes an accepted patient label the patient's label, and its slices' cohort; their supervision
   * follows (`supervisionWithoutMask`), except on slices that already have pixel supervision.
   */
  async applyPatientLabel(manager: EntityManager, patientId: string, label: 'covid' | 'negative', revisionId: string, supervisionWithoutMask: SupervisionKind): Promise<void> {
    await manager.query('UPDATE patients SET label = $2, label_source = $3 WHERE id = $1', [patientId, label, `revision:${revisionId}`]);
    await manager.query(
      "UPDATE slices SET cohort = $2, supervision = CASE WHEN supervision = 'pixel' THEN 'pixel' ELSE $3 END WHERE patient_id = $1",
      [patientId, label, supervisionWithoutMask],
    );
  }

  byId(revisionId: string): Promise<LabelRevisionEntity | null> {
    return this.dataSource.manager.findOneBy(LabelRevisionEntity, { id: revisionId });
  }

  history(subject: LabelSubject): Promise<LabelRevisionEntity[]> {
    const where = subject.kind === 'patient' ? { patientId: subject.id } : { sliceId: subject.id };
    return this.dataSource.manager.find(LabelRevisionEntity, { where, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async pendingSubmissions(limit: number): Promise<LabelRevisionEntity[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT r.id FROM label_revisions r WHERE ${PENDING_SUBMISSION} ORDER BY r.created_at, r.id LIMIT $1`,
      [limit],
    );
    if (rows.length === 0) return [];
    return this.dataSource.manager.find(LabelRevisionEntity, { where: rows.map((r) => ({ id: r.id })), order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
