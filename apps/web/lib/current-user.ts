const STORAGE_KEY = 'lesionlab.user';
export const DEFAULT_USER = 'annotator';

/** Until sign-in exists the user is a name kept in this browser and sent as X-LesionLab-User. */
export function currentUser(): string {
  if (typeof window === 'undefined') return DEFAULT_USER;
  return window.localStorage.getItem(STORAGE_KEY) || DEFAULT_USER;
}

export function setCurrentUser(name: string): void {
  window.localStorage.setItem(STORAGE_KEY, name.trim() || DEFAULT_USER);
}
