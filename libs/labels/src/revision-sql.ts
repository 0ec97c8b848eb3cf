/**
 * SQL shared by the mask and the label revision tables, which follow the same rules.
 *
 * "Current" for a viewer: the newest revision that is either not a draft, or the viewer's own draft
 * (drafts are private work in progress) — except drafts kept after a 409, which stay out of the line
 * until their author saves them again on top of the current revision. `viewerParam` is the viewer's
 * placeholder ($n).
 */
export function visibleInLine(viewerParam: string): string {
  return `(state <> 'draft' OR (author = ${viewerParam} AND conflict_with IS NULL))`;
}

/** A submitted revision `r` is pending until an approved or rejected revision names it as parent. */
export function pendingSubmission(table: 'mask_revisions' | 'label_revisions'): string {
  return `r.state = 'submitted' AND NOT EXISTS (
  SELECT 1 FROM ${table} d WHERE d.parent_id = r.id AND d.state IN ('approved', 'rejected'))`;
}
