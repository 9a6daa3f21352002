/** Enterprise portal forms that are the web's own: the dust-cleaning check-in (粉尘清扫打卡). */
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import type { Models } from '../../models';
import { fromZod, HttpError } from '../errors';
import type { AuditService } from '../access/audit';

export const cleaningCheckInForm = z.object({
  item: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  person: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  at: z.string().trim().refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date and time'),
});

export function createPortalFormService(deps: { models: Models; audit: AuditService }) {
  const { models, audit } = deps;
  return {
    async checkIn(p: Principal, form: unknown, photoId?: string, ip?: string) {
      if (p.role !== 'enterprise' || !p.enterpriseId) throw new HttpError(403, 'only a user of the enterprise may check in cleaning');
      const parsed = cleaningCheckInForm.safeParse(form);
      if (!parsed.success) throw fromZod(parsed.error);
      const at = new Date(parsed.data.at);
      if (at.getTime() > Date.now() + 5 * 60_000) throw new HttpError(400, 'at: must not be in the future', 'at');
      const doc = await models.CleaningCheckIn.create({ enterpriseId: p.enterpriseId, item: parsed.data.item, person: parsed.data.person, at, photoId, createdBy: p.username, createdAt: new Date() });
      await audit.record(p.username, 'cleaning.check_in', p.enterpriseId, { item: parsed.data.item, photoId }, ip);
      return doc;
    },
  };
}

/** Fields of the task forms the pages render; the schema that validates them belongs to the task's service. */
export interface FormField {
  name: string;
  /** `lines`: a textarea whose lines become a list; `datetime-local`: Beijing time. */
  type: 'text' | 'textarea' | 'checkbox' | 'datetime-local' | 'lines' | 'number';
}
/** Must list the fields of the schemas that validate each form (web/services/tasks.ts taskForms, alarms, suspensions). */
export const FORM_FIELDS: Record<string, FormField[]> = {
  alarmDisposal: [
    { name: 'cause', type: 'textarea' },
    { name: 'measures', type: 'textarea' },
    { name: 'responsible', type: 'text' },
  ],
  warningFeedback: [
    { name: 'verification', type: 'textarea' },
    { name: 'cause', type: 'textarea' },
    { name: 'measures', type: 'textarea' },
    { name: 'responsiblePerson', type: 'text' },
    { name: 'accidentFound', type: 'checkbox' },
  ],
  warningTracking: [{ name: 'note', type: 'textarea' }],
  onsiteAssign: [
    { name: 'inspectors', type: 'lines' },
    { name: 'due', type: 'datetime-local' },
  ],
  onsiteRecord: [
    { name: 'findings', type: 'textarea' },
    { name: 'hazards', type: 'lines' },
    { name: 'rectifyBy', type: 'datetime-local' },
  ],
  rectificationReply: [{ name: 'measures', type: 'textarea' }],
  emergencyReport: [
    { name: 'actions', type: 'textarea' },
    { name: 'casualties', type: 'textarea' },
    { name: 'underControl', type: 'checkbox' },
  ],
  emergencyClose: [{ name: 'conclusion', type: 'textarea' }],
  reinspection: [
    { name: 'passed', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
    { name: 'openPenalty', type: 'checkbox' },
  ],
  interviewSchedule: [
    { name: 'scheduledAt', type: 'datetime-local' },
    { name: 'place', type: 'text' },
    { name: 'attendees', type: 'lines' },
  ],
  interviewRecord: [
    { name: 'minutes', type: 'textarea' },
    { name: 'commitments', type: 'textarea' },
    { name: 'commitmentsDue', type: 'datetime-local' },
  ],
  interviewCommitments: [{ name: 'measures', type: 'textarea' }],
  interviewVerification: [
    { name: 'fulfilled', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
  penaltyFiling: [
    { name: 'summary', type: 'textarea' },
    { name: 'decline', type: 'checkbox' },
  ],
  penaltyInvestigation: [
    { name: 'evidence', type: 'lines' },
    { name: 'proposedPenalty', type: 'textarea' },
  ],
  penaltyStatement: [
    { name: 'statement', type: 'textarea' },
    { name: 'hearingRequested', type: 'checkbox' },
  ],
  penaltyHearing: [{ name: 'record', type: 'textarea' }],
  penaltyDecision: [
    { name: 'penalize', type: 'checkbox' },
    { name: 'decision', type: 'textarea' },
    { name: 'fineYuan', type: 'number' },
    { name: 'statementReview', type: 'textarea' },
  ],
  penaltyService: [
    { name: 'servedAt', type: 'datetime-local' },
    { name: 'method', type: 'text' },
  ],
  penaltyExecution: [
    { name: 'executed', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
  interviewMinutes: [{ name: 'minutes', type: 'textarea' }],
  warningNoticeRecord: [{ name: 'note', type: 'textarea' }],
  suspensionReview: [
    { name: 'approved', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
  /** An enterprise's change of thresholds or intervals (services/deviceSettings.ts). */
  deviceSettingsReview: [
    { name: 'approved', type: 'checkbox' },
    { name: 'note', type: 'textarea' },
  ],
};

/** A datetime-local value has no offset: it is Beijing time. */
export function beijingInstant(v: unknown): unknown {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v.length === 16 ? `${v}:00` : v}+08:00` : v;
}

/** A posted page form as its schema expects it: checkboxes as booleans, lines as lists, local times as instants; empty optional fields dropped. */
export function formValuesOf(form: string, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  delete out._csrf;
  for (const f of formFieldsOf(form)) {
    const v = out[f.name];
    if (f.type === 'checkbox') out[f.name] = v === 'on' || v === 'true' || v === true;
    else if (f.type === 'lines') out[f.name] = typeof v === 'string' ? v.split(/\r?\n/).map((x) => x.trim()).filter(Boolean) : v;
    else if (v === '') delete out[f.name];
    else if (f.type === 'datetime-local') out[f.name] = beijingInstant(v);
  }
  return out;
}
export function formFieldsOf(form: string): FormField[] {
  return FORM_FIELDS[form] ?? [{ name: 'note', type: 'textarea' }];
}
