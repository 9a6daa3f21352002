/** On-site supervision (现场监管) tasks: workflows/onSiteSupervision.ts. */
import { z } from 'zod';
import {
  assignInspectorsUpdate,
  recordOnSiteUpdate,
  rectifiedUpdate,
  reinspectUpdate,
} from '../../../workflows/onSiteSupervision';
import { instant, text } from '../../schemas';
import { defineTaskForm } from './types';

const iso = (v: string) => new Date(v).toISOString();

export const onSiteSupervisionForms = [
  defineTaskForm({
    form: 'onsiteAssign',
    schema: z.object({ inspectors: z.array(text(100)).min(1, 'must name at least one inspector'), due: instant }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(assignInspectorsUpdate, {
        args: [{ inspectors: values.inspectors, due: iso(values.due), by: principal.username }],
      })),
  }),
  defineTaskForm({
    form: 'onsiteRecord',
    schema: z
      .object({ findings: text(5000), hazards: z.array(text(500)).default([]), rectifyBy: instant.optional() })
      .refine((v) => !v.hazards.length || !!v.rectifyBy, {
        error: 'a rectification deadline is required when hazards were found',
        path: ['rectifyBy'],
      }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(recordOnSiteUpdate, {
        args: [
          {
            findings: values.findings,
            hazards: values.hazards,
            rectifyBy: values.rectifyBy ? iso(values.rectifyBy) : undefined,
            by: principal.username,
          },
        ],
      })),
  }),
  defineTaskForm({
    form: 'rectificationReply',
    schema: z.object({ measures: text(5000) }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(rectifiedUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  defineTaskForm({
    form: 'reinspection',
    schema: z
      .object({
        passed: z.boolean({ error: 'must be true or false' }),
        note: z.string().trim().max(2000).optional(),
        openPenalty: z.boolean().default(false),
      })
      .refine((v) => !(v.passed && v.openPenalty), {
        error: 'a penalty is opened only when the re-inspection fails',
        path: ['openPenalty'],
      }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(reinspectUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
];
