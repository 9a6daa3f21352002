/** What the cases API answers (the request schemas live beside the service that takes them). */
import { z } from 'zod';
import { CASE_STATUSES, CASE_TYPES, LEVELS } from '../../domain/cases';
import { SUSPENSION_REASONS } from '../../domain/offline';
import { timestamp } from '../schemas';

export const deadlineView = z.object({ kind: z.string(), due: timestamp });

/** A case as the API shows it (cases.ts CaseView). */
export const caseView = z.object({
  id: z.string().meta({
    description:
      'the workflow id; contains slashes (risk-warning/<enterpriseId>/<n>, alarm/<device>/<indicator>/<n>, …)',
  }),
  type: z.enum(CASE_TYPES),
  enterpriseId: z.string().optional(),
  level: z.enum(LEVELS).optional(),
  status: z.enum(CASE_STATUSES),
  policyVersion: z.number().int().optional(),
  parentCaseId: z.string().optional(),
  openedAt: timestamp,
  closedAt: timestamp.optional(),
  deadlines: z.array(deadlineView),
  timeline: z.array(
    z.object({
      at: timestamp,
      kind: z.string(),
      actor: z.string(),
      recipients: z.array(z.string()),
      detail: z.string().optional(),
      attachments: z.array(z.string()).optional(),
    }),
  ),
});
export const caseSummary = caseView.omit({ timeline: true });

/** A risk warning's state after a change (workflows/riskWarning.ts RiskWarningState). */
export const riskWarningState = z.looseObject({
  caseId: z.string().optional(),
  enterpriseId: z.string(),
  status: z.enum(['opening', 'open', 'closed']),
  level: z.enum(LEVELS).optional(),
  policyVersion: z.number().int(),
  since: timestamp.optional().meta({ description: "when the current level's clock started" }),
  deadlines: z.array(deadlineView).meta({ description: 'deadlines still ahead' }),
  noticesIssued: z.number().int(),
  onSiteCaseIds: z.array(z.string()),
  emergency: z.boolean(),
});

/** A monitoring alarm's state after its disposal (workflows/monitoringAlarm.ts). */
export const monitoringAlarmState = z.looseObject({
  caseId: z.string().optional(),
  status: z.enum(['opening', 'open', 'closed']),
  breaches: z.number().int(),
  valueNormal: z.boolean(),
  disposal: z.looseObject({ cause: z.string(), measures: z.string(), responsible: z.string() }).optional(),
  disposalDue: timestamp.optional(),
  escalated: z.boolean(),
});

/** A suspension request as filed (models/SuspensionRequest.ts). */
export const suspensionRequestView = z.looseObject({
  _id: z.string().meta({ description: 'suspension/<enterpriseId>/<uuid>' }),
  enterpriseId: z.string(),
  deviceCodes: z.array(z.string()),
  channelIds: z.array(z.string()).optional(),
  reason: z.enum(SUSPENSION_REASONS),
  detail: z.string().optional(),
  from: timestamp,
  to: timestamp,
  status: z.string(),
  requestedBy: z.string(),
  reviewAgencyId: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedAt: timestamp.optional(),
  note: z.string().optional(),
});

/** A suspension request's state after a decision (workflows/suspensionRequest.ts). */
export const suspensionRequestState = z.looseObject({
  requestId: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  reviewAgencyId: z.string().optional(),
  decision: z.looseObject({ approved: z.boolean(), note: z.string().optional(), at: timestamp }).optional(),
  permissionNumber: z
    .string()
    .optional()
    .meta({ description: 'the number of the written permission (停用许可) an approval issued' }),
});

/** An official document (执法文书) (documents.ts DocumentView). */
export const documentView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  titleEn: z.string(),
  number: z.string().meta({ description: 'the document number (文号)' }),
  caseId: z.string(),
  enterpriseId: z.string(),
  agencyId: z.string(),
  toName: z.string().optional(),
  issuedAt: timestamp,
  pdf: z.string().meta({ description: 'where its PDF is served' }),
});
