import { Router } from 'express';
import { z } from 'zod';
import { fromZod } from '../../errors';
import type { Services } from '../../services';

const tokenRequest = z.object({
  username: z.string().trim().min(1, 'is required'),
  password: z.string().min(1, 'is required'),
});

/** POST /api/v1/auth/token {username, password} → {token, expiresAt}. */
export function authApi(s: Services): Router {
  const r = Router();
  r.post('/auth/token', async (req, res) => {
    const parsed = tokenRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    const issued = await s.auth.issueToken(parsed.data.username, parsed.data.password);
    await s.audit.record(parsed.data.username, 'auth.token', parsed.data.username, undefined, req.ip);
    res.status(201).json(issued);
  });
  return r;
}
