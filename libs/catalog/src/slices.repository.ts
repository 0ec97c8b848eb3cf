import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PatientLabel, SliceFacets, SliceQuery, SliceReviewState, SupervisionKind } from '@lesionlab/contracts';
import { decodeCursor, encodeCursor } from './query/cursor';
import { countsTableAnswers, filterClauses, LATEST_REVIEWED_REVISIONS, REVIEW_STATE_OF_SLICE, type SliceFilters } from './query/slice-filters';

interface SliceRow {
  id: string;
  patientId: string;
  patientExternalId: string;
  sliceIndex: number;
  width: number;
  height: number;
  cohort: PatientLabel;
  supervision: SupervisionKind;
  thumbnailBlob: string | null;
}

export interface SliceListRow extends SliceRow {
  reviewState: SliceReviewState;
  lesionAreaPx: number | null;
  lesionAreaMm2: number | null;
}

export interface SliceDetailRow extends SliceRow {
  collection: string;
  scanId: string;
  bitDepth: 8 | 16;
  pixelRepresentation: 0 | 1;
  rescaleSlope: number;
  rescaleIntercept: number;
  windowCenter: number | null;
  windowWidth: number | null;
  pixelSpacingMm: [number, number] | null;
  pixelBlob: string;
  sourceName: string | null;
  importId: string | null;
  previousSliceId: string | null;
  nextSliceId: string | null;
  createdAt: Date;
}

const SORTS = {
  id: { order: 's.id', keys: ['s.id'], kinds: ['id'], cmp: '>' },
  '-id': { order: 's.id DESC', keys: ['s.id'], kinds: ['id'], cmp: '<' },
  patient: { order: 's.patient_id, s.slice_index, s.id', keys: ['s.patient_id', 's.slice_index', 's.id'], kinds: ['id', 'int', 'id'], cmp: '>' },
} as const;

const LIST_COLUMNS = `s.id, s.patient_id AS "patientId", p.external_id AS "patientExternalId", s.slice_index AS "sliceIndex", s.width, s.height,
  s.cohort, s.supervision, s.thumbnail_blob AS "thumbnailBlob"`;

/** Reads the catalog: keyset-paginated slice lists, facet counts and one slice's details. */
@Injectable()
export class SlicesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The SQL of a page, for EXPLAIN in the benchmark and for review. */
  listSql(query: SliceQuery): { sql: string; values: unknown[] } {
    const values: unknown[] = [];
    const sort = SORTS[query.sort];
    const where = filterClauses(query, values);
    if (query.cursor) {
      const after = decodeCursor(query.cursor, [...sort.kinds]);
      where.push(`(${sort.keys.join(', ')}) ${sort.cmp} (${after.map((v) => `$${values.push(v)}`).join(', ')})`);
    }
    // Review state and lesion area (see slice-filters.ts) are read per row of the page only.
    const sql = `SELECT ${LIST_COLUMNS}, ${REVIEW_STATE_OF_SLICE} AS "reviewState", area.px AS "lesionAreaPx", area.mm2 AS "lesionAreaMm2"
      FROM slices s JOIN patients p ON p.id = s.patient_id
      LEFT JOIN LATERAL (SELECT sum(a.area_px)::int AS px, CASE WHEN count(a.area_mm2) = count(*) THEN sum(a.area_mm2) END AS mm2
                           FROM accepted_mask_facts a WHERE a.slice_id = s.id) area ON true
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${sort.order} LIMIT $${values.push(query.limit + 1)}`;
    return { sql, values };
  }

  async list(query: SliceQuery): Promise<{ rows: SliceListRow[]; nextCursor: string | null }> {
    const { sql, values } = this.listSql(query);
    const rows: SliceListRow[] = await this.dataSource.query(sql, values);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const cursorOf = (row: SliceListRow) => (query.sort === 'patient' ? [row.patientId, row.sliceIndex, row.id] : [row.id]);
    return { rows: page, nextCursor: rows.length > query.limit ? encodeCursor(cursorOf(last)) : null };
  }

  /**
   * The SQL of the facet counts for these filters: rows of (supervision, cohort, review_state, n)
   * whose n add up per facet. When slice_counts answers, its rows count every slice as review state
   * `none`, and the slices with a non-draft revision are moved from `none` to their state.
   */
  facetsSql(filters: SliceFilters): { sql: string; values: unknown[] } {
    const values: unknown[] = [];
    const where = filterClauses(filters, values);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    if (countsTableAnswers(filters)) {
      return {
        sql: `WITH reviewed AS (SELECT s.supervision, s.cohort, r.state, count(*)::int AS n
                                FROM ${LATEST_REVIEWED_REVISIONS} r JOIN slices s ON s.id = r.slice_id ${whereSql} GROUP BY 1, 2, 3)
              SELECT s.supervision, s.cohort, 'none' AS review_state, s.n::int AS n FROM slice_counts s ${whereSql}
              UNION ALL SELECT supervision, cohort, state, n FROM reviewed
              UNION ALL SELECT supervision, cohort, 'none', -n FROM reviewed`,
        values,
      };
    }
    return {
      sql: `SELECT s.supervision, s.cohort, coalesce(r.state, 'none') AS review_state, count(*)::int AS n
              FROM slices s LEFT JOIN ${LATEST_REVIEWED_REVISIONS} r ON r.slice_id = s.id ${whereSql} GROUP BY 1, 2, 3`,
      values,
    };
  }

  async facets(filters: SliceFilters): Promise<SliceFacets> {
    const { sql, values } = this.facetsSql(filters);
    const rows: { supervision: SupervisionKind; cohort: PatientLabel; review_state: SliceReviewState; n: number }[] = await this.dataSource.query(sql, values);
    const facets: SliceFacets = {
      total: 0,
      supervision: { pixel: 0, patient: 0, negative: 0, none: 0 },
      cohort: { covid: 0, negative: 0, unknown: 0 },
      reviewState: { none: 0, submitted: 0, approved: 0, rejected: 0 },
    };
    for (const row of rows) {
      facets.total += row.n;
      facets.supervision[row.supervision] += row.n;
      facets.cohort[row.cohort] += row.n;
      facets.reviewState[row.review_state] += row.n;
    }
    return facets;
  }

  async detail(id: string): Promise<SliceDetailRow | null> {
    const rows: SliceDetailRow[] = await this.dataSource.query(
      `SELECT ${LIST_COLUMNS}, p.collection, s.scan_id AS "scanId", s.bit_depth AS "bitDepth", s.pixel_representation AS "pixelRepresentation",
              s.rescale_slope AS "rescaleSlope", s.rescale_intercept AS "rescaleIntercept", s.window_center AS "windowCenter", s.window_width AS "windowWidth",
              sc.pixel_spacing_mm AS "pixelSpacingMm", s.pixel_blob AS "pixelBlob", s.source_name AS "sourceName", s.import_id AS "importId", s.created_at AS "createdAt",
              (SELECT id FROM slices o WHERE o.scan_id = s.scan_id AND o.slice_index < s.slice_index ORDER BY o.slice_index DESC LIMIT 1) AS "previousSliceId",
              (SELECT id FROM slices o WHERE o.scan_id = s.scan_id AND o.slice_index > s.slice_index ORDER BY o.slice_index LIMIT 1) AS "nextSliceId"
         FROM slices s JOIN patients p ON p.id = s.patient_id JOIN scans sc ON sc.id = s.scan_id WHERE s.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }
}
