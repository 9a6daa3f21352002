/** Administrative penalty (行政处罚) tasks: workflows/penalty.ts. */
import { z } from 'zod';
import {
  decidePenaltyUpdate,
  filePenaltyUpdate,
  recordExecutionUpdate,
  recordHearingUpdate,
  recordInvestigationUpdate,
  recordServiceUpdate,
  submitStatementUpdate,
} from '../../../workflows/penalty';
import { flag, instant, text } from '../../schemas';
import { recordInspectionUpdate } from '../../../workflows/enforcementInspection';
import { defineTaskForm } from './types';

export const penaltyForms = [
  defineTaskForm({
    form: 'penaltyFiling',
    schema: z.object({ summary: text(5000), decline: z.boolean({ error: 'must be true or false' }).default(false) }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(filePenaltyUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  defineTaskForm({
    form: 'penaltyInvestigation',
    schema: z.object({
      evidence: z.array(text(500)).min(1, 'must list at least one piece of evidence'),
      proposedPenalty: text(2000),
    }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(recordInvestigationUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  defineTaskForm({
    form: 'penaltyStatement',
    schema: z
      .object({
        statement: z.string().trim().max(5000, 'must be at most 5000 characters').optional(),
        hearingRequested: flag,
      })
      .refine((v) => v.hearingRequested || !!v.statement, {
        error: 'write the statement or ask for a hearing',
        path: ['statement'],
      }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(submitStatementUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  defineTaskForm({
    form: 'penaltyHearing',
    schema: z.object({ record: text(5000) }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(recordHearingUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  defineTaskForm({
    form: 'penaltyDecision',
    schema: z.object({
      penalize: flag,
      decision: text(5000),
      fineYuan: z.coerce
        .number({ error: 'must be a sum of yuan' })
        .min(0, 'must be zero or more')
        .max(100_000_000, 'is too large')
        .optional(),
      statementReview: z.string().trim().max(2000).optional(),
    }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(decidePenaltyUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  defineTaskForm({
    form: 'penaltyService',
    schema: z.object({ servedAt: instant, method: text(200) }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(recordServiceUpdate, {
        args: [{ ...values, servedAt: new Date(values.servedAt).toISOString(), by: principal.username }],
      })),
  }),
  defineTaskForm({
    form: 'penaltyExecution',
    schema: z.object({ executed: flag, note: z.string().trim().max(2000).optional() }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(recordExecutionUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  /** A key target's on-site enforcement inspection (现场执法检查, 002 第三十、三十一条): its findings recorded on the task. */
  defineTaskForm({
    form: 'enforcementInspectionRecord',
    schema: z.object({ findings: text(5000), violationsFound: flag }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(recordInspectionUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
];
