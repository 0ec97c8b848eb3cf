import { ROLES, type Role } from '@lesionlab/contracts';

/** How a role reads on a page. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  'data-manager': 'Data manager',
  'ml-engineer': 'ML engineer',
  reviewer: 'Reviewer',
  annotator: 'Annotator',
};

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
