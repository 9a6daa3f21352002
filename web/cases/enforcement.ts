/**
 * Opening enforcement follow-ups from the web and the API: an Interview (约谈) or a Penalty (行政处罚)
 * by a regulator for an enterprise in its jurisdiction (its own agency interviews or penalises; an
 * administrator names the agency). The workflow id is the case id; the answer waits until the case
 * record exists so the caller can open it at once.
 */
import type { Client } from '@temporalio/client';
import crypto from 'node:crypto';
import { z } from 'zod';
import { text } from '../schemas';
import { Principal, canSeeEnterprise } from '../../domain/access';
import { compactInstant } from '../../domain/cases';
import type { Models } from '../../models';
import type { EnterpriseDoc } from '../../models/masterData';
import { interview } from '../../workflows/interview';
import { penalty } from '../../workflows/penalty';
import { HttpError } from '../errors';
import type { AuditService } from '../access/audit';
import { caseSearchAttributes } from '../../config/searchAttributes';

const opener = {
  enterpriseId: text(100),
  /** The case that gave rise to it (a warning, an on-site supervision, an offline case). */
  parentCaseId: z.string().trim().max(300).optional(),
  /** Administrators only: the agency that interviews or penalises (a regulator's is its own). */
  agencyId: z.string().trim().max(100).optional(),
};
export const openInterviewForm = z.object({
  ...opener,
  reason: text(1000),
  includeRegion: z.boolean({ error: 'must be true or false' }).optional(),
});
export const openPenaltyForm = z.object({ ...opener, violation: text(2000) });
export type OpenInterviewForm = z.infer<typeof openInterviewForm>;
export type OpenPenaltyForm = z.infer<typeof openPenaltyForm>;

export function createEnforcementService(deps: {
  temporal: Client;
  models: Models;
  taskQueue: string;
  audit: AuditService;
}) {
  const { temporal, models, audit } = deps;

  async function parties(
    p: Principal,
    form: { enterpriseId: string; agencyId?: string; parentCaseId?: string },
  ): Promise<{ agencyId: string }> {
    if (p.role !== 'admin' && p.role !== 'regulator')
      throw new HttpError(403, 'only a regulator or an administrator may open an interview or a penalty');
    const e = await models.Enterprise.findById(form.enterpriseId, { regionPath: 1, industry: 1 }).lean<EnterpriseDoc>();
    if (!e || !canSeeEnterprise(p, e))
      throw new HttpError(404, `no enterprise ${form.enterpriseId} in your jurisdiction`, 'enterpriseId');
    if (form.parentCaseId) {
      const parent = await models.CaseRecord.findById(form.parentCaseId, { enterpriseId: 1 }).lean();
      if (!parent || parent.enterpriseId !== form.enterpriseId)
        throw new HttpError(
          400,
          `parentCaseId: no case ${form.parentCaseId} of enterprise ${form.enterpriseId}`,
          'parentCaseId',
        );
    }
    if (p.role === 'regulator') {
      if (form.agencyId && form.agencyId !== p.agencyId)
        throw new HttpError(403, 'a regulator opens follow-ups for its own agency only', 'agencyId');
      if (!p.agencyId) throw new HttpError(403, 'your account belongs to no agency', 'agencyId');
      return { agencyId: p.agencyId };
    }
    if (!form.agencyId) throw new HttpError(400, 'agencyId: an administrator names the agency that acts', 'agencyId');
    if (!(await models.Agency.exists({ _id: form.agencyId })))
      throw new HttpError(400, `agencyId: no agency ${form.agencyId}`, 'agencyId');
    return { agencyId: form.agencyId };
  }

  /** The record is written by the workflow's first activity: wait for it (bounded) so the answer can be opened at once. */
  async function opened(caseId: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!(await models.CaseRecord.exists({ _id: caseId }))) {
      if (Date.now() > deadline)
        throw new HttpError(
          503,
          `case ${caseId} was started but has not opened yet; read it again shortly`,
          'enterpriseId',
          { 'Retry-After': '5' },
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const newId = (kind: 'interview' | 'penalty', enterpriseId: string) =>
    `${kind}/${enterpriseId}/${compactInstant(new Date().toISOString())}-${crypto.randomBytes(2).toString('hex')}`;

  return {
    async openInterview(p: Principal, form: OpenInterviewForm, ip?: string): Promise<{ caseId: string }> {
      const { agencyId } = await parties(p, form);
      const caseId = newId('interview', form.enterpriseId);
      await temporal.workflow.start(interview, {
        taskQueue: deps.taskQueue,
        workflowId: caseId,
        args: [
          {
            enterpriseId: form.enterpriseId,
            agencyId,
            reason: form.reason,
            includeRegion: form.includeRegion,
            parentCaseId: form.parentCaseId,
          },
        ],
        typedSearchAttributes: caseSearchAttributes('interview', form.enterpriseId),
      });
      await opened(caseId);
      await audit.record(p.username, 'interview.opened', caseId, { ...form, agencyId }, ip);
      return { caseId };
    },

    async openPenalty(p: Principal, form: OpenPenaltyForm, ip?: string): Promise<{ caseId: string }> {
      const { agencyId } = await parties(p, form);
      const caseId = newId('penalty', form.enterpriseId);
      await temporal.workflow.start(penalty, {
        taskQueue: deps.taskQueue,
        workflowId: caseId,
        args: [
          { enterpriseId: form.enterpriseId, agencyId, violation: form.violation, parentCaseId: form.parentCaseId },
        ],
        typedSearchAttributes: caseSearchAttributes('penalty', form.enterpriseId),
      });
      await opened(caseId);
      await audit.record(p.username, 'penalty.opened', caseId, { ...form, agencyId }, ip);
      return { caseId };
    },
  };
}
export type EnforcementService = ReturnType<typeof createEnforcementService>;
