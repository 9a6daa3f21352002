/** Demo cases: validate, start the workflow, read the projection. */
import type { Client } from '@temporalio/client';
import crypto from 'node:crypto';
import { z } from 'zod';
import { caseIds } from '../../domain/cases';
import { isDuration } from '../../domain/durations';
import type { Models } from '../../models';
import type { CaseRecordDoc } from '../../models/CaseRecord';
import { demoCase } from '../../workflows/demoCase';
import { HttpError } from '../errors';
import type { Principal } from '../../domain/access';
import type { AuditService } from '../access/audit';
import { caseSearchAttributes } from '../../config/searchAttributes';

/** One schema for the page form and the API payload. */
export const demoCaseForm = z.object({
  recipient: z.string().trim().pipe(z.email('must be an email address')),
  message: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  followUpAfter: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isDuration(v), 'must be an ISO-8601 duration such as PT1M or P3D'),
});
export type DemoCaseForm = z.infer<typeof demoCaseForm>;

export function createDemoCaseService(deps: {
  temporal: Client;
  models: Models;
  taskQueue: string;
  publicUrl: string;
  audit: AuditService;
}) {
  return {
    /** Starts a demo case for a signed-in user; audited (it mails the recipient from the official sender). */
    async open(form: DemoCaseForm, p: Principal, ip?: string): Promise<{ caseId: string }> {
      const caseId = caseIds.demo(crypto.randomUUID());
      await deps.temporal.workflow.start(demoCase, {
        taskQueue: deps.taskQueue,
        workflowId: caseId,
        args: [{ ...form, caseUrl: `${deps.publicUrl}/demo/${encodeURIComponent(caseId)}` }],
        typedSearchAttributes: caseSearchAttributes('demo'),
      });
      await deps.audit.record(p.username, 'demo.open', caseId, { recipient: form.recipient }, ip);
      return { caseId };
    },
    async get(caseId: string): Promise<CaseRecordDoc> {
      const doc = await deps.models.CaseRecord.findOne({ _id: caseId, type: 'demo' }).lean<CaseRecordDoc>();
      if (!doc) throw new HttpError(404, `no demo case ${caseId}`, 'caseId');
      return doc;
    },
    async list(limit = 20): Promise<CaseRecordDoc[]> {
      return deps.models.CaseRecord.find({ type: 'demo' }).sort({ openedAt: -1 }).limit(limit).lean<CaseRecordDoc[]>();
    },
  };
}
export type DemoCaseService = ReturnType<typeof createDemoCaseService>;
