/**
 * Risk warnings from the web and the API: open one (or change the open one's level) by
 * signal-with-start on `risk-warning/<enterpriseId>`, under the escalation policy in force.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { Principal, canSeeEnterprise } from '../../domain/access';
import { LEVELS, caseIds } from '../../domain/cases';
import type { Models } from '../../models';
import type { EnterpriseDoc } from '../../models/masterData';
import { raiseWarningSignal, riskWarning, riskWarningStateQuery } from '../../workflows/riskWarning';
import { HttpError } from '../errors';
import type { AuditService } from '../access/audit';
import type { PolicyService } from '../admin/policies';
import { settle } from './cases';

export const raiseWarningForm = z.object({
  enterpriseId: z.string().trim().min(1, 'must not be empty'),
  level: z.enum(LEVELS, { error: `must be one of ${LEVELS.join(', ')}` }),
  reason: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters'),
});
export type RaiseWarningForm = z.infer<typeof raiseWarningForm>;

export function createWarningService(deps: {
  temporal: Client;
  models: Models;
  taskQueue: string;
  audit: AuditService;
  policies: PolicyService;
  publicUrl?: string;
}) {
  const { temporal, models, audit } = deps;
  return {
    async raise(p: Principal, form: RaiseWarningForm, ip?: string): Promise<{ caseId: string }> {
      if (p.role !== 'admin' && p.role !== 'regulator')
        throw new HttpError(403, 'only a regulator or an administrator may raise a warning');
      const e = await models.Enterprise.findById(form.enterpriseId, {
        regionPath: 1,
        industry: 1,
      }).lean<EnterpriseDoc>();
      if (!e || !canSeeEnterprise(p, e))
        throw new HttpError(404, `no enterprise ${form.enterpriseId} in your jurisdiction`, 'enterpriseId');
      const policy = await deps.policies.currentEscalation();
      const handle = await temporal.workflow.signalWithStart(riskWarning, {
        taskQueue: deps.taskQueue,
        workflowId: caseIds.riskWarning(form.enterpriseId),
        args: [{ enterpriseId: form.enterpriseId, policy, publicUrl: deps.publicUrl }],
        signal: raiseWarningSignal,
        signalArgs: [{ level: form.level, reason: form.reason, by: p.username, policy }],
      });
      // The case id carries the opening instant: wait for the workflow to name it (at once for an open warning).
      // A warning just cleared is still finishing: the raise opens its successor (a new run), so wait for that.
      const deadline = Date.now() + 15_000;
      let caseId: string | undefined;
      while (!caseId) {
        const state = await handle.query(riskWarningStateQuery);
        caseId = state.status === 'closed' ? undefined : state.caseId;
        if (!caseId) {
          if (Date.now() > deadline)
            throw new HttpError(
              503,
              'the warning was raised but has not opened yet; read it again shortly',
              'enterpriseId',
              { 'Retry-After': '5' },
            );
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      // A second raise changes the open warning's level: answer once the case shows it.
      await settle(models, caseId, (c) => c.level === form.level || c.status === 'closed');
      await audit.record(p.username, 'warning.raised', caseId, { ...form }, ip);
      return { caseId };
    },
  };
}
export type WarningService = ReturnType<typeof createWarningService>;
