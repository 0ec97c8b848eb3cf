import { PERMISSIONS, PUBLIC } from '@lesionlab/contracts';
import { ROLES } from '@lesionlab/platform';

/**
 * THE permission matrix lives in @lesionlab/contracts (libs/contracts/src/permissions.ts), where the
 * web app reads it too: add a route's row there.
 */
export { accessOf, PERMISSIONS, PUBLIC, type Access } from '@lesionlab/contracts';

/** The matrix as the Markdown table README.md shows. */
export function permissionTable(): string {
  const header = `| route | ${ROLES.join(' | ')} |\n|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = Object.entries(PERMISSIONS).map(([route, access]) => {
    const cells = ROLES.map((role) => (access === PUBLIC ? 'public' : access.includes(role) ? '✓' : ''));
    return `| \`${route}\` | ${cells.join(' | ')} |`;
  });
  return [header, ...rows].join('\n');
}
