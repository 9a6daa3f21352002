/**
 * Opening enforcement follow-ups from the web and the API: an Interview (约谈) or a Penalty (行政处罚)
 * by a regulator for an enterprise in its jurisdiction (its own agency interviews or penalises; an
 * administrator names the agency). The workflow id is the case id; the answer waits until the case
 * record exists so the caller can open it at once. And the public notice (公开通报) of a serious breach
 * (002 第二十五条) on a case of the enterprise, issued by the regulator's agency through the `publicNotice`
 * workflow (document engine, delivery, timeline); the answer waits until the document is numbered.
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
import { publicNotice } from '../../workflows/publicNotice';
import { SERIOUS_BREACHES, SERIOUS_BREACH_ZH } from '../../domain/enforcement';
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
/** A public notice (公开通报) of a serious breach found on a case of the enterprise: the breach kind and the reason are required. */
export const publicNoticeForm = z.object({
  enterpriseId: text(100),
  /** The case the breach was found on (an offline, alarm, interview or penalty case of the enterprise). */
  caseId: text(300),
  /** Administrators only: the issuing agency (a regulator's is its own). */
  agencyId: z.string().trim().max(100).optional(),
  breach: z.enum(SERIOUS_BREACHES, { error: `must be one of ${SERIOUS_BREACHES.join(', ')}` }),
  reason: text(2000),
});
export type PublicNoticeForm = z.infer<typeof publicNoticeForm>;
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
    /** The name the caller's form gives the case (a public notice's `caseId`). */
    caseField = 'parentCaseId',
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
          `${caseField}: no case ${form.parentCaseId} of enterprise ${form.enterpriseId}`,
          caseField,
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

  /** The document is numbered by the workflow's first steps: wait for it (bounded) so the answer can name it. */
  async function numbered(documentId: string): Promise<{ number: string }> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const doc = await models.OfficialDocument.findById(documentId, { number: 1 }).lean();
      if (doc) return { number: doc.number };
      if (Date.now() > deadline)
        throw new HttpError(
          503,
          `public notice ${documentId} was started but is not numbered yet; read it again shortly`,
          'caseId',
          {
            'Retry-After': '5',
          },
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    /** 公开通报 (002 第二十五条): the regulator's agency issues it on a case of an enterprise in its jurisdiction; audited. */
    async issuePublicNotice(
      p: Principal,
      form: PublicNoticeForm,
      ip?: string,
    ): Promise<{ caseId: string; documentId: string; number: string }> {
      const { agencyId } = await parties(p, { ...form, parentCaseId: form.caseId }, 'caseId');
      const step = `public-notice/${compactInstant(new Date().toISOString())}-${crypto.randomBytes(2).toString('hex')}`;
      const documentId = `${form.caseId}/${step}`;
      await temporal.workflow.start(publicNotice, {
        taskQueue: deps.taskQueue,
        workflowId: documentId,
        args: [
          {
            caseId: form.caseId,
            enterpriseId: form.enterpriseId,
            agencyId,
            breachZh: SERIOUS_BREACH_ZH[form.breach],
            reason: form.reason,
            issuedBy: p.username,
            issuedAt: new Date().toISOString(),
          },
        ],
      });
      const { number } = await numbered(documentId);
      await audit.record(p.username, 'public_notice.issued', documentId, { ...form, agencyId, number }, ip);
      return { caseId: form.caseId, documentId, number };
    },

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
