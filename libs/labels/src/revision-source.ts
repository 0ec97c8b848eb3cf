export type RevisionSource = 'human' | 'model' | 'import' | 'consensus';
