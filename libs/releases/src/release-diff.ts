import { Injectable } from '@nestjs/common';
import { decodeCocoRle, dice } from '@lesionlab/mask';
import type { ReleaseDiff } from '@lesionlab/contracts';
import { DataSource } from 'typeorm';
import { ReleaseNotFoundError } from './release-builder';

export type { ReleaseDiff };

interface DiffRow {
  slice_id: string;
  a_patient: string | null;
  b_patient: string | null;
  a_split: string | null;
  b_split: string | null;
  a_supervision: string | null;
  b_supervision: string | null;
  a_label: string | null;
  b_label: string | null;
  a_mask: string | null;
  b_mask: string | null;
}

const LISTED = 1000;

function maskDice(a: { rle_counts: string; height: number; width: number } | undefined, b: { rle_counts: string; height: number; width: number } | undefined): number {
  if (!a || !b) return 0;
  const decode = (m: { rle_counts: string; height: number; width: number }) => decodeCocoRle({ size: [m.height, m.width], counts: m.rle_counts });
  return dice(decode(a), decode(b));
}

/** What changed between two releases: slices and patients in or out, split moves, masks (with Dice) and labels. */
@Injectable()
export class ReleaseDiffer {
  constructor(private readonly dataSource: DataSource) {}

  async diff(fromId: string, toId: string): Promise<ReleaseDiff> {
    const found = await this.dataSource.query('SELECT id FROM releases WHERE id = ANY($1::uuid[])', [[fromId, toId]]);
    for (const id of [fromId, toId]) if (!found.some((r: { id: string }) => r.id === id)) throw new ReleaseNotFoundError(id);
    const rows: DiffRow[] = await this.dataSource.query(
      `SELECT COALESCE(a.slice_id, b.slice_id) AS slice_id,
              a.patient_id AS a_patient, b.patient_id AS b_patient, a.split AS a_split, b.split AS b_split,
              a.supervision AS a_supervision, b.supervision AS b_supervision, a.label AS a_label, b.label AS b_label,
              a.mask_revision_id AS a_mask, b.mask_revision_id AS b_mask
         FROM (SELECT * FROM release_items WHERE release_id = $1) a
         FULL OUTER JOIN (SELECT * FROM release_items WHERE release_id = $2) b ON a.slice_id = b.slice_id
        WHERE a.slice_id IS NULL OR b.slice_id IS NULL OR a.split <> b.split OR a.supervision <> b.supervision
           OR a.label <> b.label OR a.mask_revision_id IS DISTINCT FROM b.mask_revision_id`,
      [fromId, toId],
    );
    const [{ kept }] = await this.dataSource.query(
      'SELECT count(*)::int AS kept FROM release_items a JOIN release_items b ON b.slice_id = a.slice_id AND b.release_id = $2 WHERE a.release_id = $1',
      [fromId, toId],
    );
    const [patientsA, patientsB] = await Promise.all(
      [fromId, toId].map(async (id) => new Set<string>((await this.dataSource.query('SELECT DISTINCT patient_id FROM release_items WHERE release_id = $1', [id])).map((r: { patient_id: string }) => r.patient_id))),
    );

    const added = rows.filter((r) => r.a_patient === null).map((r) => r.slice_id);
    const removed = rows.filter((r) => r.b_patient === null).map((r) => r.slice_id);
    const both = rows.filter((r) => r.a_patient !== null && r.b_patient !== null);
    const moved = new Map<string, { patientId: string; from: string; to: string }>();
    for (const r of both) if (r.a_split !== r.b_split) moved.set(r.b_patient!, { patientId: r.b_patient!, from: r.a_split!, to: r.b_split! });

    const maskChanges = both.filter((r) => r.a_mask !== r.b_mask);
    const revisionIds = maskChanges.flatMap((r) => [r.a_mask, r.b_mask]).filter((id): id is string => id !== null);
    const revisions = new Map<string, { rle_counts: string; height: number; width: number }>(
      (await this.dataSource.query('SELECT id, rle_counts, height, width FROM mask_revision_rles WHERE id = ANY($1::uuid[])', [revisionIds])).map(
        (r: { id: string; rle_counts: string; height: number; width: number }) => [r.id, r],
      ),
    );
    const addedPatients = [...patientsB].filter((p) => !patientsA.has(p));
    const removedPatients = [...patientsA].filter((p) => !patientsB.has(p));
    return {
      from: fromId,
      to: toId,
      slices: { added: added.length, removed: removed.length, kept, addedIds: added.slice(0, LISTED), removedIds: removed.slice(0, LISTED) },
      patients: { added: addedPatients.length, removed: removedPatients.length, addedIds: addedPatients.slice(0, LISTED), removedIds: removedPatients.slice(0, LISTED) },
      movedPatients: [...moved.values()],
      changedMasks: maskChanges.map((r) => ({
        sliceId: r.slice_id,
        fromRevision: r.a_mask,
        toRevision: r.b_mask,
        dice: maskDice(r.a_mask ? revisions.get(r.a_mask) : undefined, r.b_mask ? revisions.get(r.b_mask) : undefined),
      })),
      changedLabels: both
        .filter((r) => r.a_supervision !== r.b_supervision || r.a_label !== r.b_label)
        .map((r) => ({ sliceId: r.slice_id, from: { supervision: r.a_supervision!, label: r.a_label! }, to: { supervision: r.b_supervision!, label: r.b_label! } })),
    };
  }
}
