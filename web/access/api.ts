/** Bearer tokens: `POST /api/v1/auth/token` issues one under the login limiter the page login shares; `DELETE` revokes the caller's. */
import { z } from 'zod';
import { timestamp } from '../schemas';
import { operations } from '../api/v1/operations';
import type { Services } from '../composition';
import { bearerAuth } from './auth';

export const tokenRequest = z.object({
  username: z.string().trim().min(1, 'is required'),
  password: z.string().min(1, 'is required'),
});
export const issuedToken = z.object({ token: z.string(), expiresAt: timestamp });

export function accessApi(s: Services) {
  const api = operations('access');
  api.post(
    '/auth/token',
    {
      summary: 'Issue a bearer token',
      description: 'Under the login limiter the page login shares: too many failures → 429 with Retry-After.',
      auth: 'none',
      body: tokenRequest,
      responses: { 201: { description: 'the token', schema: issuedToken } },
    },
    async (req, _res, input) => {
      const { username, password } = input.body();
      const user = await s.loginGuard.verify(username, password, req.ip ?? '', 'api');
      const issued = await s.auth.issueTokenFor(user);
      await s.audit.record(user._id, 'auth.token', user._id, undefined, req.ip);
      return issued;
    },
  );
  api.delete(
    '/auth/token',
    {
      summary: 'Revoke the bearer token this request carries (the API’s logout)',
      before: [bearerAuth(s.auth)],
      responses: { 204: { description: 'revoked' } },
    },
    async (req) => {
      await s.auth.revokeToken(req.bearerToken!);
      await s.audit.record(req.principal!.username, 'auth.token_revoked', req.principal!.username, undefined, req.ip);
    },
  );
  return api.router;
}
