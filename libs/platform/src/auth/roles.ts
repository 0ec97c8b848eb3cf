import { ROLES, type Role } from '@lesionlab/contracts';

/** Who may do what is decided per route by the API's permission matrix; these are the roles it names (defined with the API contracts). */
export { ROLES, type Role };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
