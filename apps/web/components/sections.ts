import { mayCall, type RouteKey, type Role } from '@lesionlab/contracts';

export interface Section {
  href: string;
  label: string;
  purpose: string;
  /** The API route the page cannot work without: the section shows to the roles the permission matrix lets call it. */
  needs: RouteKey;
  /** `main`: the work sections, in the navigation's top group and on the home page; `account`: at its foot. */
  place: 'main' | 'account';
}

/** The app's sections, in navigation order: the one list of them, with the permission each needs. */
export const SECTIONS: readonly Section[] = [
  { href: '/catalog', label: 'Catalog', purpose: 'Find any slice among the imported CT collections.', needs: 'GET /api/slices', place: 'main' },
  { href: '/import', label: 'Import', purpose: 'Upload CT slices, volumes and masks, or import them from a server path.', needs: 'POST /api/imports', place: 'main' },
  { href: '/annotate', label: 'Annotate', purpose: 'Draw lesion masks in the browser, never losing a stroke.', needs: 'PUT /api/slices/:id/mask', place: 'main' },
  { href: '/review', label: 'Review', purpose: 'Accept or reject submitted masks.', needs: 'GET /api/review/queue', place: 'main' },
  { href: '/annotation-stats', label: 'Annotation stats', purpose: 'What the AI saved: how often drafts were taken, how much they were changed, how long a slice took.', needs: 'GET /api/annotation-stats', place: 'main' },
  { href: '/releases', label: 'Releases', purpose: 'Cut immutable, patient-safe dataset releases.', needs: 'GET /api/releases', place: 'main' },
  { href: '/runs', label: 'Runs', purpose: 'Train and evaluate JCS on a release, on GPU workers.', needs: 'GET /api/runs', place: 'main' },
  { href: '/models', label: 'Models', purpose: 'Registered models, evaluations and predictions.', needs: 'GET /api/models', place: 'main' },
  { href: '/users', label: 'Users', purpose: 'Add colleagues, set their roles, disable accounts, reset passwords.', needs: 'GET /api/users', place: 'account' },
  { href: '/audit', label: 'Audit', purpose: 'Every change made through the API: who, what, when.', needs: 'GET /api/audit', place: 'account' },
  { href: '/account', label: 'Account', purpose: 'Your e-mail, role and API tokens for the command line.', needs: 'GET /api/auth/me', place: 'account' },
  { href: '/status', label: 'Status', purpose: 'The platform’s health: database, queue and storage.', needs: 'GET /api/health', place: 'account' },
];

/** The sections a user of this role may use (null: nobody signed in, so only the public ones). */
export function sectionsFor(role: Role | null): Section[] {
  return SECTIONS.filter((section) => mayCall(role, section.needs));
}
