/**
 * Page sessions and CSRF. The session cookie is http-only, SameSite=Lax and Secure with an https public URL;
 * every non-GET page request must carry the session's synchronizer token (`_csrf` field, `?_csrf=`
 * on a multipart form's action, or `x-csrf-token` header). The JSON API (/api/, bearer tokens) is exempt.
 */
import type { NextFunction, Request, Response } from 'express';
import crypto from 'node:crypto';
import type { UserRole } from '../../domain/masterData';
import { HttpError } from '../errors';
import type { SessionService, WebSession } from '../access/session';

export const SESSION_COOKIE = 'wf_session';

declare module 'express-serve-static-core' {
  interface Request {
    webSession?: WebSession;
  }
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // a malformed cookie is no session (not a 500)
    }
  }
  return undefined;
}

function isPage(req: Request): boolean {
  return !req.path.startsWith('/api/') && !req.path.startsWith('/static/') && req.path !== '/health';
}

/** Secure whenever the public URL is https (the TLS proxy talks plain http to the app), or the request came over TLS. */
export function setSessionCookie(req: Request, res: Response, s: WebSession) {
  const secure = req.app.locals.secureCookies === true || req.secure;
  res.cookie(SESSION_COOKIE, s.id, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: s.doc.expiresAt.getTime() - Date.now(),
  });
}

/**
 * Loads the session and exposes principal and CSRF token to templates. An anonymous session (it
 * carries the login form's token) is created only for the login page: any other cookie-less GET
 * writes nothing (a request flood must not fill `sessions`).
 */
export function sessionMiddleware(sessions: SessionService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!isPage(req)) return next();
    try {
      let s = await sessions.load(cookie(req, SESSION_COOKIE));
      if (!s && req.method === 'GET' && req.path === '/login') {
        s = await sessions.create();
        setSessionCookie(req, res, s);
      }
      req.webSession = s;
      if (s?.principal) req.principal = s.principal;
      res.locals.principal = s?.principal;
      res.locals.csrfToken = s?.doc.csrf;
      res.locals.isAdmin = s?.principal?.role === 'admin';
      res.locals.isRegulator = s?.principal?.role === 'regulator' || s?.principal?.role === 'admin';
      res.locals.isEnterprise = s?.principal?.role === 'enterprise';
      next();
    } catch (err) {
      next(err);
    }
  };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Refuses a non-GET page request without the session's token: 403, before any route runs, whatever
 * the body type. A multipart body is not parsed here (its route streams it), so a multipart form
 * carries the token in its action's query (`?_csrf={{enc csrfToken}}`) or the
 * `x-csrf-token` header; routes that parse multipart check the field as well (checkCsrf).
 */
export function csrfMiddleware(req: Request, _res: Response, next: NextFunction) {
  if (!isPage(req) || ['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
  const multipart = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
  const fromBody = multipart ? req.query._csrf : (req.body as Record<string, unknown> | undefined)?._csrf;
  checkCsrf(req, fromBody);
  next();
}

export function checkCsrf(req: Request, fromBody: unknown) {
  const expected = req.webSession?.doc.csrf;
  const given =
    typeof fromBody === 'string' && fromBody
      ? fromBody
      : typeof req.headers['x-csrf-token'] === 'string'
        ? req.headers['x-csrf-token']
        : '';
  if (!expected || !given || !same(given, expected))
    throw new HttpError(
      403,
      'the form has expired or did not come from this site (CSRF token missing or wrong): reload the page and try again',
      '_csrf',
    );
}

/** Pages for signed-in users: otherwise to the login page (GET) or 401. */
export function requireLogin(req: Request, res: Response, next: NextFunction) {
  if (req.principal) return next();
  if (req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  next(new HttpError(401, 'not signed in'));
}

export function requirePageRole(...roles: UserRole[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.principal) return requireLogin(req, res, next);
    if (!roles.includes(req.principal.role))
      return next(
        new HttpError(403, `this page is for the role ${roles.join(' or ')} (you are ${req.principal.role})`),
      );
    next();
  };
}
