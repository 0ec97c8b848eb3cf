import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Agreement } from '@lesionlab/contracts';
import { decodeCocoRle } from '@lesionlab/mask';
import { computeAgreement } from './agreement';

export interface AgreementFilter {
  sliceId?: string;
  /** At most this many masks are compared (the newest slices first). */
  limit: number;
}

/**
 * Agreement between annotators: each author's newest submitted or approved mask per slice and class
 * (an approved revision keeps its annotator as author; import revisions take part as `import:<id>`,
 * so annotators are also compared with the dataset's ground truth). Drafts and rejected masks do not
 * count. Only slices with at least two authors are read.
 */
@Injectable()
export class AgreementQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async compute(filter: AgreementFilter): Promise<Agreement> {
    const rows: Array<{ slice_id: string; class: string; author: string; height: number; width: number; rle_counts: string }> = await this.dataSource.query(
      `WITH latest AS (
         SELECT DISTINCT ON (slice_id, class, author) slice_id, class, author, height, width, rle_counts, created_at
           FROM mask_revisions
          WHERE state IN ('submitted', 'approved') AND ($1::uuid IS NULL OR slice_id = $1)
          ORDER BY slice_id, class, author, created_at DESC, id DESC
       ), shared AS (
         SELECT slice_id, class, max(created_at) AS newest FROM latest GROUP BY slice_id, class HAVING count(*) >= 2
       )
       SELECT l.slice_id, l.class, l.author, l.height, l.width, l.rle_counts
         FROM latest l JOIN shared s USING (slice_id, class)
        ORDER BY s.newest DESC, l.slice_id, l.class, l.author
        LIMIT $2`,
      [filter.sliceId ?? null, filter.limit],
    );
    return computeAgreement(
      rows.map((row) => ({
        sliceId: row.slice_id,
        class: row.class,
        author: row.author,
        mask: decodeCocoRle({ size: [row.height, row.width], counts: row.rle_counts }),
      })),
    );
  }
}
