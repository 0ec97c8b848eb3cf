import { useSyncExternalStore } from 'react';
import type { Principal } from '@lesionlab/contracts';
import { ApiError, api, dataOf } from './api';

/**
 * The signed-in user of this browser, as GET /api/auth/me says. The API identifies the user by its
 * httpOnly session cookies (a 15-minute access token, renewed through the refresh cookie). The e-mail
 * is also remembered in localStorage for code that needs it synchronously (the editor keeps unsaved
 * masks per user), and kept equal to what the API says.
 */
const STORAGE_KEY = 'lesionlab.user';

export type SessionUser = Pick<Principal, 'id' | 'email' | 'role'>;

/** `loading`: not asked yet; `unknown`: the API could not be asked (down, unreachable). */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: SessionUser }
  | { status: 'unknown'; error: string };

const LOADING: SessionState = { status: 'loading' };
let state: SessionState = LOADING;
const listeners = new Set<() => void>();

function publish(next: SessionState): void {
  state = next;
  if (next.status === 'signed-in') window.localStorage.setItem(STORAGE_KEY, next.user.email);
  if (next.status === 'signed-out') window.localStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Who is signed in, re-rendering when it changes (loading until the first answer). */
export function useSession(): SessionState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => LOADING,
  );
}

let asking: Promise<void> | null = null;

/**
 * Asks the API who is signed in. Every page change asks again, so a disabled account or an ended
 * session is noticed on the next navigation (lib/session-end.ts then sends the person to sign in).
 */
export function checkSession(): Promise<void> {
  asking ??= dataOf(api.GET('/api/auth/me', { cache: 'no-store' }))
    .then(
      (me) => publish({ status: 'signed-in', user: { id: me.id, email: me.email, role: me.role } }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) publish({ status: 'signed-out' });
        else if (state.status !== 'signed-in') publish({ status: 'unknown', error: error instanceof Error ? error.message : String(error) });
      },
    )
    .finally(() => {
      asking = null;
    });
  return asking;
}

/** The signed-in e-mail as last known here ('' when nobody is signed in). */
export function currentUser(): string {
  if (typeof window === 'undefined') return '';
  return window.localStorage.getItem(STORAGE_KEY) ?? '';
}

export async function signIn(email: string, password: string): Promise<SessionUser> {
  const { user } = await dataOf(api.POST('/api/auth/sign-in', { body: { email, password } }));
  publish({ status: 'signed-in', user });
  return user;
}

export async function signOut(): Promise<void> {
  // Signed out either way: a refused sign-out (the session had already ended) changes nothing here.
  await api.POST('/api/auth/sign-out').catch((error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
  });
  publish({ status: 'signed-out' });
}
