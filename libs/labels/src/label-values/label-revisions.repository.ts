import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ifMatchOf, type Precondition } from '../precondition';
import { LabelRevisionEntity } from './label-revision.entity';
import { pendingSubmission, visibleInLine } from '../revision-sql';

/** What a label is about: a patient (covid/negative) or a slice (opacification present/absent). */
export interface LabelSubject {
  kind: 'patient' | 'slice';
  id: string;
}

export type NewLabelRevision = Omit<LabelRevisionEntity, 'id' | 'createdAt'>;

const SUBJECT_COLUMN = { patient: 'patient_id', slice: 'slice_id' } as const;
/** Catalog's lock for each subject (catalog-locks.sql): true when the patient or slice exists. */
const LOCK_SUBJECT = { patient: 'SELECT lock_patient($1) AS found', slice: 'SELECT lock_slice($1) IS NOT NULL AS found' } as const;

/** The viewer's current revision of the subject: `$1` is the subject's id, `$2` the viewer. */
const currentIdOf = (subject: LabelSubject) =>
  `SELECT id FROM label_revisions WHERE ${SUBJECT_COLUMN[subject.kind]} = $1 AND ${visibleInLine('$2')} ORDER BY created_at DESC, id DESC LIMIT 1`;
const PENDING_SUBMISSION = pendingSubmission('label_revisions');

@Injectable()
export class LabelRevisionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serialises writes to the subject's labels; false when there is no such patient or slice. */
  async lockSubject(manager: EntityManager, subject: LabelSubject): Promise<boolean> {
    const rows: Array<{ found: boolean }> = await manager.query(LOCK_SUBJECT[subject.kind], [subject.id]);
    return rows[0].found;
  }

  /**
   * The viewer's current revision of the subject (null: none), and whether a save under `precondition`
   * holds on it: the database's precondition_holds decides, as it does for masks.
   */
  async currentLine(manager: EntityManager, subject: LabelSubject, viewer: string, precondition: Precondition): Promise<{ currentId: string | null; holds: boolean }> {
    const rows: Array<{ id: string | null; holds: boolean }> = await manager.query(
      `SELECT c.id, precondition_holds($3, c.id) AS holds
         FROM (SELECT (${currentIdOf(subject)}) AS id) c`,
      [subject.id, viewer, ifMatchOf(precondition)],
    );
    return { currentId: rows[0].id, holds: rows[0].holds };
  }

  async current(subject: LabelSubject, viewer: string): Promise<LabelRevisionEntity | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(currentIdOf(subject), [subject.id, viewer]);
    return rows.length ? this.byId(rows[0].id) : null;
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
   * Makes an accepted patient label the patient's label (catalog's set_patient_label: its slices' cohort
   * and supervision follow), its source the accepting revision.
   */
  async applyPatientLabel(manager: EntityManager, patientId: string, label: 'covid' | 'negative', revisionId: string): Promise<void> {
    await manager.query('SELECT set_patient_label($1, $2, $3)', [patientId, label, `revision:${revisionId}`]);
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
