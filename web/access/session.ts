/**
 * Web sessions: a random cookie id, its SHA-256 stored in `sessions` with the user and the CSRF
 * synchronizer token; login under the shared limiter (./loginGuard.ts); password change; logout.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import { hashPassword, sha256 } from '../../lib/passwords';
import type { Models } from '../../models';
import type { SessionDoc } from '../../models/Session';
import { HttpError } from '../errors';
import type { AuditService } from './audit';
import { endUserAccess, type AuthService } from './auth';
import type { LoginGuard } from './loginGuard';

export const SESSION_TTL_MS = 8 * 3600 * 1000;
const ANON_TTL_MS = 2 * 3600 * 1000;

export const loginForm = z.object({
  username: z.string().trim().min(1, 'must not be empty').max(100),
  password: z.string().min(1, 'must not be empty').max(200),
});
export const passwordChangeForm = z
  .object({
    current: z.string().min(1, 'must not be empty'),
    password: z.string().min(10, 'must be at least 10 characters').max(200),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { error: 'does not match the new password', path: ['confirm'] });

export interface WebSession {
  id: string; // the cookie value
  doc: SessionDoc;
  principal?: Principal;
}

export function createSessionService(deps: {
  models: Models;
  auth: AuthService;
  audit: AuditService;
  loginGuard: LoginGuard;
  now?: () => number;
}) {
  const { models, auth, audit, loginGuard } = deps;
  const now = deps.now ?? Date.now;

  async function create(username?: string): Promise<WebSession> {
    const id = crypto.randomBytes(32).toString('base64url');
    const t = now();
    const doc: SessionDoc = {
      _id: sha256(id),
      username,
      csrf: crypto.randomBytes(24).toString('base64url'),
      createdAt: new Date(t),
      expiresAt: new Date(t + (username ? SESSION_TTL_MS : ANON_TTL_MS)),
    };
    await models.Session.create(doc);
    return { id, doc };
  }

  return {
    create,

    /** The session of a cookie value, with its principal when signed in; undefined when unknown or expired. */
    async load(id: string | undefined): Promise<WebSession | undefined> {
      if (!id || id.length > 100) return undefined;
      const doc = await models.Session.findById(sha256(id)).lean();
      if (!doc || doc.expiresAt.getTime() < now()) return undefined;
      if (!doc.username) return { id, doc };
      const user = await models.User.findById(doc.username).lean();
      if (!user || !user.active) return undefined;
      return { id, doc, principal: await auth.principalOf(user) };
    },

    /** Checks credentials under the rate limit; on success ends the anonymous session and opens a signed-in one (no fixation). */
    async login(form: unknown, ip: string, previous?: WebSession): Promise<WebSession> {
      const parsed = loginForm.safeParse(form);
      if (!parsed.success)
        throw new HttpError(
          400,
          `${String(parsed.error.issues[0].path[0])}: ${parsed.error.issues[0].message}`,
          String(parsed.error.issues[0].path[0]),
        );
      const { username, password } = parsed.data;
      const user = await loginGuard.verify(username, password, ip, 'page');
      if (previous) await models.Session.deleteOne({ _id: previous.doc._id });
      const s = await create(user._id);
      s.principal = await auth.principalOf(user);
      await audit.record(user._id, 'login', user._id, {}, ip);
      return s;
    },

    /** Ends this session and the user's API tokens (a sign-out is meant to end what the user is signed in with). */
    /** Deletes expired sessions (the embedded store does not expire TTL indexes); how many. */
    async sweepExpired(): Promise<number> {
      return (await models.Session.deleteMany({ expiresAt: { $lt: new Date(now()) } })).deletedCount ?? 0;
    },

    async logout(s: WebSession, ip?: string): Promise<void> {
      await models.Session.deleteOne({ _id: s.doc._id });
      if (s.principal) await models.ApiToken.deleteMany({ username: s.principal.username });
      if (s.principal) await audit.record(s.principal.username, 'logout', s.principal.username, {}, ip);
    },

    /** Changes the password after checking the current one; ends the user's other sessions. */
    async changePassword(s: WebSession, form: unknown, ip?: string): Promise<void> {
      if (!s.principal) throw new HttpError(401, 'not signed in');
      const parsed = passwordChangeForm.safeParse(form);
      if (!parsed.success) {
        const field = String(parsed.error.issues[0].path[0]);
        throw new HttpError(400, `${field}: ${parsed.error.issues[0].message}`, field);
      }
      const username = s.principal.username;
      if (!(await auth.verifyCredentials(username, parsed.data.current)))
        throw new HttpError(400, 'current: the current password is wrong', 'current');
      await models.User.updateOne(
        { _id: username },
        { $set: { passwordHash: await hashPassword(parsed.data.password), passwordChangedAt: new Date(now()) } },
      );
      await endUserAccess(models, username, s.doc._id);
      await audit.record(username, 'password.change', username, {}, ip);
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
