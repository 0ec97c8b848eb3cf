/**
 * SQL shared by the mask and the label revision tables, which follow the same rules.
 *
 * "Current" for a viewer is the database function revision_in_line (migrations/definitions/
 * revision-in-line.sql, also called by save_mask_revision). `viewerParam` is the viewer's placeholder ($n).
 */
export function visibleInLine(viewerParam: string): string {
  return `revision_in_line(state, author, conflict_with, ${viewerParam})`;
}

/** A submitted revision `r` is pending until an approved or rejected revision names it as parent. */
export function pendingSubmission(table: 'mask_revisions' | 'label_revisions'): string {
  return `r.state = 'submitted' AND NOT EXISTS (
  SELECT 1 FROM ${table} d WHERE d.parent_id = r.id AND d.state IN ('approved', 'rejected'))`;
}
