import { z } from 'zod';

/** Who may do what is decided per route by the API's permission matrix; these are the roles it names. */
export const ROLES = ['admin', 'data-manager', 'ml-engineer', 'reviewer', 'annotator'] as const;
export type Role = (typeof ROLES)[number];

/** POST /api/auth/sign-in */
export const signInSchema = z.object({ email: z.string().min(3).max(200), password: z.string().min(1).max(1000) }).strict();
export type SignIn = z.infer<typeof signInSchema>;

/** POST /api/auth/sign-in and /refresh: the access token is also set as an httpOnly cookie. */
export const signedInSchema = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), role: z.enum(ROLES) }),
  accessToken: z.string(),
  /** Seconds the access token lives. */
  expiresIn: z.number().int(),
});
export type SignedIn = z.infer<typeof signedInSchema>;

/**
 * Why POST /api/auth/refresh refused a web session that did exist (the `reason` of its 401 answer),
 * so the web app can tell the person: an admin disabled the account, or the sign-in ended (expired,
 * signed out elsewhere, password changed). A request with no session at all carries no reason.
 */
export const SESSION_END_REASONS = ['account-disabled', 'session-ended'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** GET /api/auth/me: the signed-in user a request acts for. */
export const principalSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(ROLES),
  via: z.enum(['access-token', 'api-token']),
});
export type Principal = z.infer<typeof principalSchema>;

/** POST /api/auth/tokens */
export const newApiTokenSchema = z.object({ name: z.string().trim().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional() }).strict();
export type NewApiToken = z.infer<typeof newApiTokenSchema>;

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });

/** POST /api/auth/tokens answer: the token itself is in this answer only (it is stored as a hash). */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

const password = z.string().min(12, 'expected at least 12 characters').max(1000);

/** POST /api/users: a user without a password signs in with API tokens only (automation). */
export const newUserSchema = z.object({ email: z.email(), role: z.enum(ROLES), password: password.optional() }).strict();
export type NewUser = z.infer<typeof newUserSchema>;

/** PATCH /api/users/:id */
export const changeUserSchema = z.object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional(), password: password.optional() }).strict();
export type ChangeUser = z.infer<typeof changeUserSchema>;

export const userSchema = z.object({ id: z.uuid(), email: z.string(), role: z.enum(ROLES), disabled: z.boolean(), createdAt: z.string() });
export type User = z.infer<typeof userSchema>;
export const userListSchema = z.object({ items: z.array(userSchema) });
