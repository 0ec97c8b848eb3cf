/** Who may do what is decided per route by the API's permission matrix; these are the roles it names. */
export const ROLES = ['admin', 'data-manager', 'ml-engineer', 'reviewer', 'annotator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
