import { SESSION_END_REASONS, type SessionEndReason } from '@lesionlab/contracts';
import { ApiError } from '@lesionlab/api-client';

/** What the sign-in page tells a person whose session the API ended, by the API's reason. */
export const SESSION_END_MESSAGES: Record<SessionEndReason, string> = {
  'account-disabled': 'An admin has disabled your account, so you were signed out. Ask an admin to enable it again.',
  'session-ended': 'Your sign-in ended (it expired, you signed out elsewhere, or your password was changed). Sign in again.',
};

export function isSessionEndReason(value: unknown): value is SessionEndReason {
  return typeof value === 'string' && (SESSION_END_REASONS as readonly string[]).includes(value);
}

/** The reason of a refused session renewal; null when there was no session to renew. */
export function sessionEndReasonOf(error: unknown): SessionEndReason | null {
  if (!(error instanceof ApiError) || error.status !== 401) return null;
  const reason = error.problem?.['reason'];
  return isSessionEndReason(reason) ? reason : null;
}

/** The sign-in page, saying why, then back to where the person was. */
export function signInUrl(reason: SessionEndReason, from: { pathname: string; search: string }): string {
  const query = new URLSearchParams({ ended: reason });
  if (from.pathname !== '/login') query.set('next', `${from.pathname}${from.search}`);
  return `/login?${query}`;
}

/** Sends the browser to the sign-in page (a full load: nothing of the ended session stays in memory). */
export function sendToSignIn(reason: SessionEndReason): void {
  if (window.location.pathname === '/login') return;
  window.location.assign(signInUrl(reason, window.location));
}
