/** Emergency response (应急处置, 002 第十九条) tasks: workflows/emergencyResponse.ts. */
import { z } from 'zod';
import { closeEmergencyUpdate, emergencyReportUpdate } from '../../../workflows/emergencyResponse';
import { flag, text } from '../../schemas';
import { defineTaskForm } from './types';

export const emergencyResponseForms = [
  defineTaskForm({
    form: 'emergencyReport',
    schema: z.object({
      actions: text(5000),
      casualties: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
      underControl: flag,
    }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(emergencyReportUpdate, {
        args: [
          {
            actions: values.actions,
            casualties: values.casualties || undefined,
            underControl: values.underControl,
            by: principal.username,
          },
        ],
      })),
  }),
  defineTaskForm({
    form: 'emergencyClose',
    schema: z.object({ conclusion: text(5000) }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(closeEmergencyUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
];
