import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PatientLabel, PatientPage, PatientQuery, SupervisionKind } from '@lesionlab/contracts';
import { decodeCursor, encodeCursor } from './query/cursor';

export interface PatientKey {
  externalId: string;
  label: PatientLabel;
  labelSource: string | null;
  metadata: Record<string, unknown>;
}

export interface StoredPatient {
  id: string;
  externalId: string;
  label: PatientLabel;
}

/** Patients and their labels; a label change carries through to the slices' cohort and supervision. */
@Injectable()
export class PatientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates the patients a batch names (once) and returns them all; a known label (covid/negative)
   * that differs from the stored one replaces it, and metadata is merged.
   */
  async ensure(manager: EntityManager, collection: string, patients: PatientKey[]): Promise<Map<string, StoredPatient>> {
    const values: unknown[] = [collection];
    const rows = patients.map((p, i) => {
      values.push(p.externalId, p.label, p.labelSource, JSON.stringify(p.metadata));
      return `($1, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4}, $${i * 4 + 5}::jsonb)`;
    });
    await manager.query(
      `INSERT INTO patients (collection, external_id, label, label_source, metadata) VALUES ${rows.join(', ')}
       ON CONFLICT (collection, external_id) DO UPDATE SET metadata = patients.metadata || EXCLUDED.metadata
       WHERE NOT patients.metadata @> EXCLUDED.metadata`,
      values,
    );
    const stored: { id: string; external_id: string; label: PatientLabel }[] = await manager.query(
      'SELECT id, external_id, label FROM patients WHERE collection = $1 AND external_id = ANY($2)',
      [collection, patients.map((p) => p.externalId)],
    );
    const byExternalId = new Map(stored.map((row) => [row.external_id, { id: row.id, externalId: row.external_id, label: row.label }]));
    for (const patient of patients) {
      const current = byExternalId.get(patient.externalId)!;
      if (patient.label !== 'unknown' && patient.label !== current.label) {
        await this.setLabel(manager, current.id, patient.label, patient.labelSource);
        current.label = patient.label;
      }
    }
    return byExternalId;
  }

  /** Sets a patient's label and, in the same transaction, its slices' cohort and supervision (set_patient_label). */
  async setLabel(manager: EntityManager, patientId: string, label: PatientLabel, source: string | null): Promise<void> {
    await manager.query('SELECT set_patient_label($1, $2, $3)', [patientId, label, source]);
  }

  async relabel(patientId: string, label: PatientLabel, source: string | null): Promise<void> {
    await this.dataSource.transaction((manager) => this.setLabel(manager, patientId, label, source));
  }

  /** Patients by id (keyset), each with its slice counts per supervision kind. */
  async list(query: PatientQuery): Promise<PatientPage> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.collection) where.push(`p.collection = $${values.push(query.collection)}`);
    if (query.cohort) where.push(`p.label = $${values.push(query.cohort)}`);
    if (query.cursor) where.push(`p.id > $${values.push(decodeCursor(query.cursor, ['id'])[0])}`);
    const rows: { id: string; collection: string; external_id: string; label: PatientLabel; label_source: string | null; metadata: Record<string, unknown>; counts: Record<string, number> | null }[] =
      await this.dataSource.query(
        `SELECT p.id, p.collection, p.external_id, p.label, p.label_source, p.metadata,
                (SELECT jsonb_object_agg(c.supervision, c.n) FROM (SELECT supervision, count(*)::int AS n FROM slices s WHERE s.patient_id = p.id GROUP BY 1) c) AS counts
           FROM patients p ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY p.id LIMIT $${values.push(query.limit + 1)}`,
        values,
      );
    const page = rows.slice(0, query.limit);
    const zero: Record<SupervisionKind, number> = { pixel: 0, patient: 0, negative: 0, none: 0 };
    return {
      items: page.map((row) => ({
        id: row.id,
        collection: row.collection,
        externalId: row.external_id,
        label: row.label,
        labelSource: row.label_source,
        metadata: row.metadata,
        slices: { ...zero, ...(row.counts ?? {}) },
      })),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1].id]) : null,
    };
  }
}
