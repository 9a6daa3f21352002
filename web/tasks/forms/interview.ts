/** Interview (约谈) tasks: workflows/interview.ts. */
import { z } from 'zod';
import {
  recordInterviewMinutesUpdate,
  reportCommitmentsUpdate,
  scheduleInterviewUpdate,
  verifyCommitmentsUpdate,
} from '../../../workflows/interview';
import { flag, instant, text } from '../../schemas';
import { defineTaskForm } from './types';

const iso = (v: string) => new Date(v).toISOString();

export const interviewForms = [
  defineTaskForm({
    form: 'interviewSchedule',
    schema: z.object({
      scheduledAt: instant,
      place: text(200),
      attendees: z.array(text(100)).min(1, 'must name at least one attendee'),
    }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(scheduleInterviewUpdate, {
        args: [{ ...values, scheduledAt: iso(values.scheduledAt), by: principal.username }],
      })),
  }),
  defineTaskForm({
    form: 'interviewRecord',
    schema: z.object({ minutes: text(5000), commitments: text(5000), commitmentsDue: instant }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(recordInterviewMinutesUpdate, {
        args: [{ ...values, commitmentsDue: iso(values.commitmentsDue), by: principal.username }],
      })),
  }),
  defineTaskForm({
    form: 'interviewCommitments',
    schema: z.object({ measures: text(5000) }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(reportCommitmentsUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  defineTaskForm({
    form: 'interviewVerification',
    schema: z.object({ fulfilled: flag, note: z.string().trim().max(2000).optional() }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(verifyCommitmentsUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
  /** Recorded on the task itself (tasks opened before the Interview workflow existed). */
  defineTaskForm({ form: 'interviewMinutes', schema: z.object({ minutes: text(5000) }), closedBy: 'task' }),
];
