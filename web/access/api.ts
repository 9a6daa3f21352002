import { Router } from 'express';
import { z } from 'zod';
import { fromZod } from '../errors';
import { bearerAuth } from './auth';
import type { Services } from '../composition';

const tokenRequest = z.object({
  username: z.string().trim().min(1, 'is required'),
  password: z.string().min(1, 'is required'),
});

/** POST /api/v1/auth/token {username, password} → {token, expiresAt}; under the login limiter the page login shares (429 with Retry-After). */
export function authApi(s: Services): Router {
  const r = Router();
  r.post('/auth/token', async (req, res) => {
    const parsed = tokenRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    const user = await s.loginGuard.verify(parsed.data.username, parsed.data.password, req.ip ?? '', 'api');
    const issued = await s.auth.issueTokenFor(user);
    await s.audit.record(user._id, 'auth.token', user._id, undefined, req.ip);
    res.status(201).json(issued);
  });
  /** Revokes the token this request carries (the API's logout) → 204. */
  r.delete('/auth/token', bearerAuth(s.auth), async (req, res) => {
    await s.auth.revokeToken(req.bearerToken!);
    await s.audit.record(req.principal!.username, 'auth.token_revoked', req.principal!.username, undefined, req.ip);
    res.status(204).end();
  });
  return r;
}
