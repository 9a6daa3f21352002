/**
 * Special-work permit payloads (特殊作业票): the e-permit an enterprise applies with, the steps of the work,
 * the list filters and the permit as the platform feed gives it. One zod schema each: validation, the API
 * document and the page fields come from here.
 */
import { z } from 'zod';
import {
  PERMIT_LEVELS,
  PERMIT_STATUSES,
  SIGN_OFF_ROLES,
  SUSPENSION_REASONS,
  UPGRADE_REASONS,
  WORK_TYPES,
} from '../../domain/permits';
import { flag, instant, text, timestamp } from '../schemas';

const optionalNote = z.string().trim().max(2000, 'must be at most 2000 characters').optional();

export const gasAnalysisForm = z.object({
  at: instant,
  place: text(200),
  analyst: text(100),
  readings: z
    .array(z.object({ substance: text(100), value: z.number({ error: 'must be a number' }), unit: text(20) }))
    .min(1, 'must give at least one reading')
    .max(20),
  qualified: flag,
});

/** The e-permit (电子作业票). The enterprise is the caller's (an administrator names it). */
export const permitApplicationForm = z.object({
  enterpriseId: z.string().trim().max(100).optional(),
  type: z.enum(WORK_TYPES, { error: `must be one of ${WORK_TYPES.join(', ')}` }),
  level: z.enum(PERMIT_LEVELS, { error: `must be one of ${PERMIT_LEVELS.join(', ')}` }),
  upgradeReasons: z
    .array(z.enum(UPGRADE_REASONS, { error: `must be one of ${UPGRADE_REASONS.join(', ')}` }))
    .max(4)
    .default([]),
  place: text(200),
  content: text(2000),
  validFrom: instant,
  validTo: instant,
  hazards: z.array(text(500)).min(1, 'must list the hazards identified').max(50),
  measures: z
    .array(z.object({ item: text(200), applies: flag, confirmedBy: z.string().trim().max(100).optional() }))
    .max(50),
  gasAnalyses: z.array(gasAnalysisForm).max(50).default([]),
  workers: z
    .array(z.object({ name: text(100), certificateNo: text(100) }))
    .min(1, 'must name at least one worker')
    .max(100),
  guardian: z.object({ name: text(100), userId: text(100), certificateNo: z.string().trim().max(100).optional() }),
  signers: z
    .array(
      z.object({
        role: z.enum(SIGN_OFF_ROLES, { error: `must be one of ${SIGN_OFF_ROLES.join(', ')}` }),
        userId: text(100),
        name: text(100),
      }),
    )
    .min(1)
    .max(10),
});
export type PermitApplicationForm = z.output<typeof permitApplicationForm>;

export const permitQuery = z.object({
  region: z.string().trim().max(100).optional().describe('a region id on the permit’s region path'),
  type: z.enum(WORK_TYPES).optional(),
  level: z.enum(PERMIT_LEVELS).optional().describe('the managed level (after upgrades)'),
  status: z
    .union([z.enum(PERMIT_STATUSES), z.literal('active')])
    .optional()
    .describe('a status, or `active` (issued, in progress, suspended, awaiting acceptance)'),
  enterpriseId: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().trim().optional().describe('page: permits applied before this instant'),
});
export type PermitQuery = z.output<typeof permitQuery>;

export const signOffForm = z.object({ role: z.enum(SIGN_OFF_ROLES), approve: flag, note: optionalNote });
export const noteForm = z.object({ note: optionalNote });
export const suspendForm = z.object({
  reason: z.enum(SUSPENSION_REASONS, { error: `must be one of ${SUSPENSION_REASONS.join(', ')}` }),
  note: optionalNote,
});
export const extensionForm = z.object({ until: instant, reason: text(1000) });
export const decisionForm = z.object({ approve: flag, note: optionalNote });
export const cancelForm = z.object({ reason: text(1000) });
export const conductExplanationForm = z.object({ cause: text(2000), measures: text(2000) });

/** The steps of the work an enterprise user takes on its permit (POST /permits/{id}/{step}). */
export const PERMIT_STEPS = [
  'sign-off',
  'gas-analysis',
  'start',
  'check-in',
  'suspend',
  'resume',
  'extension',
  'extension-decision',
  'finish',
  'acceptance',
  'cancel',
] as const;
export type PermitStep = (typeof PERMIT_STEPS)[number];

/** A permit as the platform feed gives it (work type, place, time, the e-permit). */
export const permitView = z.object({
  permitId: z.string(),
  caseId: z.string(),
  number: z.string().optional(),
  enterpriseId: z.string(),
  enterpriseName: z.string().optional(),
  regionPath: z.array(z.string()),
  type: z.enum(WORK_TYPES),
  level: z.enum(PERMIT_LEVELS),
  managedLevel: z.enum(PERMIT_LEVELS),
  status: z.enum(PERMIT_STATUSES),
  place: z.string(),
  content: z.string(),
  validFrom: timestamp,
  validTo: timestamp,
  appliedAt: timestamp,
  issuedAt: timestamp.optional(),
  signOffs: z.array(
    z.object({ role: z.enum(SIGN_OFF_ROLES), by: z.string(), at: timestamp, note: z.string().optional() }),
  ),
  documentUrl: z.string().optional().describe('the issued permit’s PDF'),
  application: z
    .record(z.string(), z.unknown())
    .describe('the e-permit as applied (hazards, measures, gas analyses, workers, guardian, signers)'),
});
export type PermitView = z.output<typeof permitView>;

export const permitCounts = z.object({
  active: z.number().int(),
  byType: z.record(z.string(), z.number().int()),
  byLevel: z.record(z.string(), z.number().int()),
});

const source = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('a clause id of domain/permits/clauses.ts, or set_by_enterprise');
const ruledDuration = z.object({ value: z.string().trim().max(20).describe('ISO-8601, e.g. PT30M'), source });
const permitRule = z.object({
  validity: ruledDuration.optional(),
  analysisMaxAge: ruledDuration.optional(),
  interruptionLimit: ruledDuration.optional(),
  reanalysisEvery: ruledDuration.optional(),
  continuousMonitoring: z.object({ value: flag, source }).optional(),
  guardianCheckInEvery: ruledDuration,
  signOff: z.object({ value: z.array(z.enum(SIGN_OFF_ROLES)).min(1).max(SIGN_OFF_ROLES.length), source }),
  approver: z.object({ value: z.enum(SIGN_OFF_ROLES), source }),
});
const levelRules = z.partialRecord(z.enum(PERMIT_LEVELS), permitRule);
/** The permit rules (GB 30871-2022 defaults) as an administrator edits them: every type, each of its levels. */
export const permitPolicyForm = z.object({
  rules: z.object(
    Object.fromEntries(WORK_TYPES.map((t) => [t, levelRules])) as Record<
      (typeof WORK_TYPES)[number],
      typeof levelRules
    >,
  ),
});
export type PermitPolicyForm = z.output<typeof permitPolicyForm>;
