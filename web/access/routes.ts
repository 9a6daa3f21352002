import { Router, type Request } from 'express';
import { HttpError, toHttpError } from '../errors';
import { requireLogin, setSessionCookie, SESSION_COOKIE } from '../middleware/session';
import type { SessionService } from './session';

/** Only same-site paths after login (no open redirect). */
function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[^\\]*$/.test(v) ? v : '/';
}

/** Login (rate limited), logout, password change. */
/** The posted login form (urlencoded: strings). */
const formOf = (req: Request) => (req.body ?? {}) as { username?: string; next?: string };

export function sessionRoutes(sessions: SessionService): Router {
  const r = Router();
  r.get('/login', (req, res) => {
    if (req.principal) return res.redirect(303, safeNext(req.query.next));
    res.render('pages/session/login', { title: 'login', next: safeNext(req.query.next) });
  });
  r.post('/login', async (req, res, next) => {
    try {
      const s = await sessions.login(req.body, req.ip ?? '', req.webSession);
      setSessionCookie(req, res, s);
      res.redirect(303, safeNext(formOf(req).next));
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500) return next(err);
      res
        .status(e.status)
        .set(e.headers)
        .render('pages/session/login', {
          error: e.message,
          field: e.field,
          form: { username: formOf(req).username },
          next: safeNext(formOf(req).next),
        });
    }
  });
  r.post('/logout', requireLogin, async (req, res) => {
    if (req.webSession) await sessions.logout(req.webSession, req.ip);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });
  r.get('/account/password', requireLogin, (_req, res) => res.render('pages/session/password', {}));
  r.post('/account/password', requireLogin, async (req, res, next) => {
    try {
      if (!req.webSession) throw new HttpError(401, 'not signed in');
      await sessions.changePassword(req.webSession, req.body, req.ip);
      res.render('pages/session/password', { done: true });
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500) return next(err);
      res.status(e.status).render('pages/session/password', { error: e.message, field: e.field });
    }
  });
  return r;
}
