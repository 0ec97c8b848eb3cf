/**
 * The signed-in user of this browser. The API identifies the user by its httpOnly session cookies
 * (a 15-minute access token, renewed through the refresh cookie); the e-mail kept here is only for
 * showing who is signed in.
 */
const STORAGE_KEY = 'lesionlab.user';

export interface SessionUser {
  id: string;
  email: string;
  role: string;
}

/** The signed-in e-mail as remembered at sign-in ('' when nobody is signed in here). */
export function currentUser(): string {
  if (typeof window === 'undefined') return '';
  return window.localStorage.getItem(STORAGE_KEY) ?? '';
}

async function problemDetail(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { detail?: string };
  return body.detail ?? `the API answered ${response.status}`;
}

export async function signIn(email: string, password: string): Promise<SessionUser> {
  const response = await fetch('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!response.ok) throw new Error(await problemDetail(response));
  const { user } = (await response.json()) as { user: SessionUser };
  window.localStorage.setItem(STORAGE_KEY, user.email);
  return user;
}

export async function signOut(): Promise<void> {
  await fetch('/api/auth/sign-out', { method: 'POST' });
  window.localStorage.removeItem(STORAGE_KEY);
}

let refreshing: Promise<boolean> | null = null;

/** Renews the access cookie from the refresh cookie; concurrent callers share one refresh. */
function refreshSession(send: typeof fetch): Promise<boolean> {
  refreshing ??= send('/api/auth/refresh', { method: 'POST' })
    .then((response) => response.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function isApiCall(input: RequestInfo | URL): boolean {
  const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
  return url.origin === window.location.origin && url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/auth/');
}

/**
 * Makes every same-origin /api call that gets 401 (the access cookie expired) renew the session once
 * and retry, so pages and the editor never deal with token lifetimes.
 */
export function installSessionRefresh(): void {
  const original = window.fetch as typeof fetch & { sessionAware?: true };
  if (original.sessionAware) return;
  const aware = Object.assign(
    async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const response = await original(input, init);
      if (response.status !== 401 || !isApiCall(input) || input instanceof Request) return response;
      return (await refreshSession(original)) ? original(input, init) : response;
    },
    { sessionAware: true as const },
  );
  window.fetch = aware;
}
