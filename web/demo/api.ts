/** Demo cases (development only: WARNFLOW_DEMO=1; then for any signed-in caller, audited). Off, 404 to everyone. */
import { z } from 'zod';
import { CASE_STATUSES, CASE_TYPES } from '../../domain/cases';
import { openedCase, timestamp } from '../schemas';
import { operations } from '../api/v1/operations';
import { bearerAuth } from '../access/auth';
import type { Services } from '../composition';
import { demoGate } from './routes';
import { demoCaseForm } from './service';

/** A case record as stored (models/CaseRecord.ts). */
const caseRecord = z.looseObject({
  _id: z.string(),
  type: z.enum(CASE_TYPES),
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  openedAt: timestamp,
  timeline: z.array(z.looseObject({ at: timestamp, kind: z.string() })),
});

export function demoApi(s: Services, opts: { enabled: boolean }) {
  const api = operations('demo');
  const before = [demoGate(opts.enabled), bearerAuth(s.auth)];
  api.post(
    '/demo-cases',
    {
      summary: 'Start a demo case (development only, WARNFLOW_DEMO=1; 404 otherwise)',
      before,
      body: demoCaseForm,
      responses: { 201: { description: 'the demo case', schema: openedCase } },
    },
    (req, _res, input) => s.demo.open(input.body(), req.principal!, req.ip),
  );
  api.get(
    '/demo-cases/{caseId}',
    {
      summary: 'A demo case (development only)',
      before,
      params: { caseId: 'the demo case' },
      responses: { 200: { description: 'the case record', schema: caseRecord } },
    },
    (req) => s.demo.get(req.params.caseId as string),
  );
  return api.router;
}
