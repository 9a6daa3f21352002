/** Demo cases (development only: WARNFLOW_DEMO=1; then for any signed-in caller, audited). Off, 404 to everyone. */
import { Router } from 'express';
import { fromZod } from '../errors';
import { demoGate } from './routes';
import { bearerAuth } from '../access/auth';
import { demoCaseForm } from './service';
import type { Services } from '../composition';

export function demoCasesApi(s: Services, opts: { enabled: boolean }): Router {
  const r = Router();
  const gate = demoGate(opts.enabled);
  const signedIn = bearerAuth(s.auth);
  r.post('/demo-cases', gate, signedIn, async (req, res) => {
    const parsed = demoCaseForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.status(201).json(await s.demo.open(parsed.data, req.principal!, req.ip));
  });
  r.get('/demo-cases/:caseId', gate, signedIn, async (req, res) => {
    res.json(await s.demo.get(req.params.caseId as string));
  });
  return r;
}
