import { ROLES, type Role } from './auth';

/** A route anyone may call (it authorises by other means, or not at all). */
export const PUBLIC = 'public';
export type Access = typeof PUBLIC | readonly Role[];

const EVERYONE = ROLES;
const CURATORS: readonly Role[] = ['admin', 'data-manager'];
const LABELLERS: readonly Role[] = ['admin', 'reviewer', 'annotator'];
const REVIEWERS: readonly Role[] = ['admin', 'reviewer'];
const RELEASE_READERS: readonly Role[] = ['admin', 'data-manager', 'ml-engineer'];

/**
 * THE permission matrix: every API route, as `METHOD /path` exactly as Express matches it, and the
 * roles that may call it. A route without a row is refused to everyone (default deny), and the
 * matrix test fails until the row is added. README.md shows this table (a test keeps them equal). It
 * lives in the contracts so the web app shows each role only what it may use, from the table the API
 * enforces.
 */
const MATRIX = {
  // health and presigned object URLs (the signature is the authorisation)
  'GET /api/health': PUBLIC,
  'GET /api/objects/*key': PUBLIC,
  'PUT /api/objects/*key': PUBLIC,
  // sign-in and the caller's own account
  'POST /api/auth/sign-in': PUBLIC,
  'POST /api/auth/refresh': PUBLIC,
  'POST /api/auth/sign-out': PUBLIC,
  'GET /api/auth/me': EVERYONE,
  'GET /api/auth/tokens': EVERYONE,
  'POST /api/auth/tokens': EVERYONE,
  'DELETE /api/auth/tokens/:id': EVERYONE,
  // administration
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'GET /api/audit': CURATORS,
  // catalog
  'GET /api/patients': EVERYONE,
  'GET /api/slices': EVERYONE,
  'GET /api/slices/facets': EVERYONE,
  'GET /api/slices/:id': EVERYONE,
  'GET /api/slices/:id/pixels': EVERYONE,
  'GET /api/slices/:id/thumbnail': EVERYONE,
  'POST /api/imports': CURATORS,
  'GET /api/imports': CURATORS,
  'GET /api/imports/:id': CURATORS,
  // masks and labels
  'GET /api/slices/:id/mask': EVERYONE,
  'GET /api/slices/:id/mask/revisions': EVERYONE,
  'GET /api/slices/:id/mask/interpolation': EVERYONE,
  'PUT /api/slices/:id/mask': LABELLERS,
  'GET /api/revisions/:id/facts': EVERYONE,
  'GET /api/patients/:id/label': EVERYONE,
  'GET /api/slices/:id/label': EVERYONE,
  'GET /api/patients/:id/label/revisions': EVERYONE,
  'GET /api/slices/:id/label/revisions': EVERYONE,
  'PUT /api/patients/:id/label': LABELLERS,
  'PUT /api/slices/:id/label': LABELLERS,
  // review
  'GET /api/review/queue': ['admin', 'data-manager', 'reviewer'],
  'POST /api/revisions/:id/approve': REVIEWERS,
  'POST /api/revisions/:id/reject': REVIEWERS,
  'GET /api/agreement': ['admin', 'data-manager', 'reviewer', 'ml-engineer'],
  'GET /api/annotation-stats': ['admin', 'data-manager', 'reviewer', 'ml-engineer'],
  // releases
  'POST /api/releases': CURATORS,
  'GET /api/releases': EVERYONE,
  'GET /api/releases/:id': EVERYONE,
  'GET /api/releases/:id/manifest': RELEASE_READERS,
  'GET /api/releases/:id/diff': RELEASE_READERS,
  'POST /api/releases/:id/exports': RELEASE_READERS,
  'GET /api/releases/:id/exports': RELEASE_READERS,
  'GET /api/releases/:id/exports/:format/archive': RELEASE_READERS,
  'PUT /api/releases/:id': CURATORS,
  'PATCH /api/releases/:id': CURATORS,
  'DELETE /api/releases/:id': CURATORS,
  // training runs, models, evaluations, predictions
  'POST /api/runs': ['admin', 'ml-engineer'],
  'GET /api/runs': RELEASE_READERS,
  'GET /api/runs/:id': RELEASE_READERS,
  'GET /api/runs/:id/events': RELEASE_READERS,
  'POST /api/runs/:id/cancel': ['admin', 'ml-engineer'],
  'GET /api/models': EVERYONE,
  'GET /api/models/:id': EVERYONE,
  'PATCH /api/models/:id': ['admin', 'ml-engineer'],
  'POST /api/models/:id/evaluate': ['admin', 'ml-engineer'],
  'POST /api/models/:id/predict': ['admin', 'data-manager', 'ml-engineer'],
  'GET /api/evaluations/:id': EVERYONE,
  'GET /api/evaluations/:id/overlays/:index': EVERYONE,
  'GET /api/predictions/:id': EVERYONE,
  // model suggestions in the editor and the annotators' work queue
  'GET /api/slices/:id/suggestion': LABELLERS,
  'GET /api/slices/:id/suggestion/gradcam': LABELLERS,
  'GET /api/work-queue/next': LABELLERS,
  // AI assist in the editor (ML engineers too: they try their fine-tuned models there)
  'POST /api/slices/:id/assist': [...LABELLERS, 'ml-engineer'],
  'POST /api/slices/:id/assist/prepare': [...LABELLERS, 'ml-engineer'],
  'GET /api/assist/models': EVERYONE,
} satisfies Record<string, Access>;

/** A route as the matrix names it: `METHOD /path`. */
export type RouteKey = keyof typeof MATRIX;

export const PERMISSIONS: Readonly<Record<RouteKey, Access>> = MATRIX;

/** The matrix row of a route; undefined for a route nobody listed (refused). */
export function accessOf(method: string, path: string): Access | undefined {
  return (PERMISSIONS as Record<string, Access>)[`${method} ${path}`];
}

/** Whether a user of this role (null: nobody signed in) may call the route; public routes anyone may. */
export function mayCall(role: Role | null, route: RouteKey): boolean {
  const access: Access = PERMISSIONS[route];
  return access === PUBLIC || (role !== null && access.includes(role));
}
