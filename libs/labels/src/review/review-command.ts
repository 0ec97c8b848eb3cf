export interface ReviewCommand {
  revisionId: string;
  action: 'approve' | 'reject';
  reviewer: string;
  comment: string | null;
}
