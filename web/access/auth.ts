/**
 * Authentication: passwords (scrypt), API bearer tokens, and the principal each request acts as.
 * The initial administrator `admin` exists from first start.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../../domain/access';
import type { UserRole } from '../../domain/masterData';
import { hashPassword, newSecret, sha256, verifyPassword } from '../../lib/passwords';
import type { Models } from '../../models';
import type { UserDoc } from '../../models/access';
import { HttpError } from '../errors';

const TOKEN_TTL_MS = 12 * 3600 * 1000;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** The bearer token the API request was authenticated with (to revoke it). */
    bearerToken?: string;
  }
}

export function createAuthService(deps: { models: Models }) {
  const { models } = deps;

  async function principalOf(user: UserDoc): Promise<Principal> {
    const p: Principal = {
      username: user._id,
      role: user.role,
      displayName: user.displayName,
      agencyId: user.agencyId,
      enterpriseId: user.enterpriseId,
    };
    if (user.role === 'regulator' && user.agencyId) {
      const agency = await models.Agency.findById(user.agencyId).lean();
      if (agency) p.scope = { regionId: agency.regionId, industries: agency.industries };
    }
    return p;
  }

  return {
    principalOf,

    /** Checks a username and password; undefined when either is wrong or the user is inactive. */
    async verifyCredentials(username: string, password: string): Promise<UserDoc | undefined> {
      const user = await models.User.findById(username).lean();
      if (!user || !user.active) {
        // Same cost whether or not the user exists: no user enumeration by timing.
        await verifyPassword(
          password,
          'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        );
        return undefined;
      }
      return (await verifyPassword(password, user.passwordHash)) ? user : undefined;
    },

    /** A new API token for a user whose credentials were checked (under the login limiter, ./loginGuard.ts). */
    async issueTokenFor(user: UserDoc): Promise<{ token: string; expiresAt: string }> {
      const token = newSecret('wft');
      const expiresAt = new Date(Date.now() + TOKEN_TTL_MS);
      await models.ApiToken.create({ _id: sha256(token), username: user._id, expiresAt, createdAt: new Date() });
      return { token, expiresAt: expiresAt.toISOString() };
    },

    /** Revokes one token (DELETE /api/v1/auth/token). */
    async revokeToken(token: string): Promise<void> {
      await models.ApiToken.deleteOne({ _id: sha256(token) });
    },

    async principalForToken(token: string): Promise<Principal | undefined> {
      const t = await models.ApiToken.findById(sha256(token)).lean();
      if (!t || t.expiresAt.getTime() < Date.now()) return undefined;
      const user = await models.User.findById(t.username).lean();
      return user && user.active ? principalOf(user) : undefined;
    },

    /** Creates `admin` on first start; returns the generated password when none was given, to print once. */
    async ensureInitialAdmin(password?: string): Promise<{ created: boolean; generatedPassword?: string }> {
      if (await models.User.exists({ _id: 'admin' })) return { created: false };
      const generated = password ? undefined : newSecret('init').slice(5, 25);
      await models.User.create({
        _id: 'admin',
        displayName: '系统管理员',
        role: 'admin',
        passwordHash: await hashPassword(password ?? generated!),
        active: true,
        createdAt: new Date(),
      });
      return { created: true, generatedPassword: generated };
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;

/**
 * Ends what a user is signed in with: every API token and every page session (but `keepSessionId`,
 * the one making a password change). On a password change or reset, deactivation and page logout;
 * a deleted token stays dead when the user is reactivated.
 */
export async function endUserAccess(
  models: Pick<Models, 'ApiToken' | 'Session'>,
  username: string,
  keepSessionId?: string,
): Promise<void> {
  await models.ApiToken.deleteMany({ username });
  await models.Session.deleteMany(keepSessionId ? { username, _id: { $ne: keepSessionId } } : { username });
}

/** API: `Authorization: Bearer <token>` → req.principal, or 401. */
export function bearerAuth(auth: AuthService) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m)
      return next(
        new HttpError(401, 'a bearer token is required (POST /api/v1/auth/token)', 'authorization', {
          'WWW-Authenticate': 'Bearer',
        }),
      );
    const principal = await auth.principalForToken(m[1]);
    if (!principal)
      return next(
        new HttpError(401, 'the bearer token is unknown or expired', 'authorization', { 'WWW-Authenticate': 'Bearer' }),
      );
    req.principal = principal;
    req.bearerToken = m[1];
    next();
  };
}

export function requireRole(...roles: UserRole[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.principal) return next(new HttpError(401, 'not signed in'));
    if (!roles.includes(req.principal.role))
      return next(new HttpError(403, `this needs the role ${roles.join(' or ')}`));
    next();
  };
}
