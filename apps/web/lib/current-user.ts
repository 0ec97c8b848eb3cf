import { ApiError, api, dataOf } from './api';

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

export async function signIn(email: string, password: string): Promise<SessionUser> {
  const { user } = await dataOf(api.POST('/api/auth/sign-in', { body: { email, password } }));
  window.localStorage.setItem(STORAGE_KEY, user.email);
  return user;
}

export async function signOut(): Promise<void> {
  // Signed out either way: a refused sign-out (the session had already ended) changes nothing here.
  await api.POST('/api/auth/sign-out').catch((error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
  });
  window.localStorage.removeItem(STORAGE_KEY);
}
