/**
 * Master data payload schemas, one per payload, shared by the API, the admin pages and the portal (and
 * the OpenAPI document): the unified social credit code, an indicator's thresholds in order, regions,
 * agencies, enterprises (new, and a change), devices, video channels, users, cleaning plans.
 */
import { z } from 'zod';
import { LEVELS } from '../../domain/cases';
import {
  AGENCY_ROLES,
  DUST_TYPES,
  ENTERPRISE_SIZES,
  INDUSTRIES,
  REGION_KINDS,
  USER_ROLES,
  usccProblem,
} from '../../domain/masterData';
import { CLEANING_FREQUENCIES } from '../../models/CleaningPlan';
import { type IndicatorChoice, catalogueIndicator, validateIndicatorChoice } from '../../domain/indicators';
import type { Industry } from '../../domain/masterData';
import { INDICATOR_KINDS, type IndicatorDoc } from '../../models/masterData';
import { MAX_INTERVAL_SEC } from '../monitoring/deviceSettings';

/** 统一社会信用代码: 18 characters, GB 32100-2015 alphabet and check character; stored upper-case. */
export const usccSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .superRefine((code, ctx) => {
    const problem = usccProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: `uscc ${problem}` });
  });

export interface FieldProblem {
  field: string;
  message: string;
}

type Thresholds = Pick<
  IndicatorDoc,
  | 'normalMin'
  | 'normalMax'
  | 'alarmLow'
  | 'alarmHigh'
  | 'alarmLowLow'
  | 'alarmHighHigh'
  | 'rangeMin'
  | 'rangeMax'
  | 'intervalSec'
>;

/**
 * Why a monitoring indicator's thresholds are inconsistent (empty when they are consistent):
 * alarmLowLow ≤ alarmLow ≤ normalMin ≤ normalMax ≤ alarmHigh ≤ alarmHighHigh, every value set
 * inside the measurement range rangeMin..rangeMax, and a positive reporting interval.
 * Unset values are skipped; each problem names the field that breaks the order.
 */
export function indicatorThresholdProblems(t: Thresholds): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(typeof t.intervalSec === 'number' && Number.isFinite(t.intervalSec) && t.intervalSec > 0)) {
    problems.push({ field: 'intervalSec', message: 'intervalSec must be a number of seconds above 0' });
  } else if (t.intervalSec > MAX_INTERVAL_SEC) {
    // 002 附件2 三(二)3: key parameters are reported at least every 5 minutes — for every way an indicator is kept.
    problems.push({
      field: 'intervalSec',
      message: `intervalSec must be at most ${MAX_INTERVAL_SEC} s (monitoring data is reported at least every 5 minutes)`,
    });
  }
  if (t.rangeMin !== undefined && t.rangeMax !== undefined && t.rangeMin >= t.rangeMax) {
    problems.push({ field: 'rangeMax', message: 'rangeMax must be above rangeMin' });
  }
  const ladder = ['alarmLowLow', 'alarmLow', 'normalMin', 'normalMax', 'alarmHigh', 'alarmHighHigh'] as const;
  let previous: { field: string; value: number } | undefined;
  for (const field of ladder) {
    const value = t[field];
    if (value === undefined) continue;
    if (previous && value < previous.value) {
      problems.push({ field, message: `${field} (${value}) must not be below ${previous.field} (${previous.value})` });
    }
    if (t.rangeMin !== undefined && value < t.rangeMin) {
      problems.push({ field, message: `${field} (${value}) is below the measurement range (rangeMin ${t.rangeMin})` });
    }
    if (t.rangeMax !== undefined && value > t.rangeMax) {
      problems.push({ field, message: `${field} (${value}) is above the measurement range (rangeMax ${t.rangeMax})` });
    }
    previous = { field, value };
  }
  return problems;
}

/**
 * A fault indicator (kind `fault`) reports a status, not a value: it takes no range or thresholds; any other kind
 * needs its unit.
 */
function faultIndicatorProblems(ind: Thresholds & Pick<IndicatorDoc, 'kind' | 'unit'>): FieldProblem[] {
  if (ind.kind !== 'fault')
    return ind.unit ? [] : [{ field: 'unit', message: 'unit must not be empty (only a fault status has none)' }];
  const fields = [
    'normalMin',
    'normalMax',
    'alarmLowLow',
    'alarmLow',
    'alarmHigh',
    'alarmHighHigh',
    'rangeMin',
    'rangeMax',
  ];
  return fields
    .filter((f) => ind[f as keyof Thresholds] !== undefined)
    .map((field) => ({ field, message: `a fault status is not a value: it takes no ${field}` }));
}

/**
 * Why an enterprise's picks from its industry's indicator catalogue are refused (domain/indicators
 * validateIndicatorChoice), each naming the indicator's field (`indicators.<i>.<field>`); also a fault entry kept
 * under another kind than `fault`, or the other way round. Indicators typed by hand (no catalogueCode) are not checked.
 */
export function indicatorCatalogueProblems(
  industry: Industry,
  indicators: readonly (IndicatorChoiceFields & { catalogueCode?: string; kind: string })[],
): FieldProblem[] {
  const out: FieldProblem[] = [];
  indicators.forEach((ind, i) => {
    if (!ind.catalogueCode) return;
    const at = (field: string) => `indicators.${i}.${field}`;
    const problems = validateIndicatorChoice(industry, { ...ind, catalogueCode: ind.catalogueCode });
    for (const p of problems) out.push({ field: at(p.field), message: p.message });
    const entry = catalogueIndicator(ind.catalogueCode);
    if (problems.length || !entry) return;
    const isFault = entry.signal === 'fault';
    if (isFault !== (ind.kind === 'fault'))
      out.push({
        field: at('kind'),
        message: isFault
          ? `${entry.zh} is a fault status: its kind is fault`
          : `${entry.zh} is not a fault status: its kind is not fault`,
      });
  });
  return out;
}
type IndicatorChoiceFields = Omit<IndicatorChoice, 'catalogueCode'>;

const optionalNumber = z.number().optional(); // finite: zod 4 numbers refuse Infinity

/** 监测指标 payload: kind, unit, normal range, alarm thresholds, measurement range, interval. */
export const indicatorSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'code: letters, digits, _ or -, at most 32'),
    name: z.string().trim().min(1).max(100),
    kind: z.enum(INDICATOR_KINDS),
    /** A fault status (kind fault) has none. */
    unit: z.string().trim().max(20).default(''),
    normalMin: optionalNumber,
    normalMax: optionalNumber,
    alarmLow: optionalNumber,
    alarmHigh: optionalNumber,
    alarmLowLow: optionalNumber,
    alarmHighHigh: optionalNumber,
    rangeMin: optionalNumber,
    rangeMax: optionalNumber,
    intervalSec: z.number().int().positive(),
    /** The indicator catalogue entry it is picked from (domain/indicators): checked against the enterprise's industry. */
    catalogueCode: z.string().trim().max(64).optional(),
  })
  .superRefine((ind, ctx) => {
    for (const p of [...indicatorThresholdProblems(ind), ...faultIndicatorProblems(ind)])
      ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
export type IndicatorInput = z.infer<typeof indicatorSchema>;

const id = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . or -');
const name = z.string().trim().min(1, 'must not be empty').max(200);
const email = z.string().trim().pipe(z.email('must be an email address'));

export const regionPayload = z.object({
  id,
  name,
  nameEn: z.string().trim().max(200).optional(),
  kind: z.enum(REGION_KINDS),
  parentId: id.optional(),
});
export const agencyPayload = z.object({
  id,
  name,
  role: z.enum(AGENCY_ROLES),
  regionId: id,
  industries: z.array(z.enum(INDUSTRIES)).default([]),
  emails: z.array(email).default([]),
  /** A chat robot's webhook (企业微信/钉钉): http or https only, posted to by the risk-warning workflow. */
  webhookUrl: z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .refine((v) => {
      try {
        return ['http:', 'https:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, 'must be an http or https URL')
    .optional(),
});
const contact = z.object({
  name,
  phone: z.string().trim().max(40).optional(),
  email: email.optional(),
  title: z.string().trim().max(60).optional(),
});
/** The fields of an enterprise as stored, without defaults: a change names only what changes. */
const enterpriseFields = z.object({
  name,
  uscc: usccSchema,
  regionId: id,
  industry: z.enum(INDUSTRIES),
  dustType: z.enum(DUST_TYPES),
  dustWorkers: z.number().int().min(0),
  size: z.enum(ENTERPRISE_SIZES),
  inherentRisk: z.enum(LEVELS),
  address: z.string().trim().max(300),
  contacts: z.array(contact),
  hqEmail: email,
  shouldConnect: z.boolean(),
  connected: z.boolean(),
});
const ef = enterpriseFields.shape;
/** A new enterprise (also the whole record an edit page posts). */
export const enterprisePayload = z.object({
  id: id.optional(),
  ...ef,
  dustType: ef.dustType.optional(),
  dustWorkers: ef.dustWorkers.default(0),
  address: ef.address.optional(),
  contacts: ef.contacts.default([]),
  hqEmail: ef.hqEmail.optional(),
  shouldConnect: ef.shouldConnect.default(true),
  connected: ef.connected.default(false),
});
/** The optional fields of an enterprise a change may clear: `null` through the API, an emptied input on a page. */
export const CLEARABLE_ENTERPRISE_FIELDS = ['dustType', 'address', 'hqEmail'] as const;
/** A change of an enterprise (PATCH): only the fields named change; `null` clears an optional one. */
export const enterpriseChanges = enterpriseFields.partial().extend({
  dustType: ef.dustType.nullable().optional(),
  address: ef.address.nullable().optional(),
  hqEmail: ef.hqEmail.nullable().optional(),
});
export type EnterpriseChanges = z.infer<typeof enterpriseChanges>;
export const devicePayload = z.object({
  id,
  enterpriseId: id,
  name,
  kind: z.string().trim().min(1).max(60),
  system: z.string().trim().max(100).optional(),
  status: z.enum(['active', 'suspended', 'retired']).default('active'),
  indicators: z
    .array(indicatorSchema)
    .min(1, 'a device needs at least one indicator')
    .refine(
      (list) => new Set(list.map((i) => i.code)).size === list.length,
      'indicator codes must be unique within the device',
    ),
});
export const videoChannelPayload = z.object({
  id,
  name,
  location: z.string().trim().max(200).optional(),
  intervalSec: z.number().int().positive().default(300),
});
export const userPayload = z
  .object({
    username: id,
    password: z.string().min(8, 'must be at least 8 characters').meta({ writeOnly: true }),
    displayName: name,
    role: z.enum(USER_ROLES),
    agencyId: id.optional(),
    enterpriseId: id.optional(),
    email: email.optional(),
  })
  .superRefine((u, ctx) => {
    if (u.role === 'regulator' && !u.agencyId)
      ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'is required for a regulator' });
    if (u.role === 'enterprise' && !u.enterpriseId)
      ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'is required for an enterprise user' });
  });

/** 清扫计划: the items an enterprise cleans, where, how often, by whom. */
export const cleaningPlanPayload = z.object({
  items: z
    .array(
      z.object({
        item: z.string().trim().min(1, 'must not be empty').max(100),
        area: z.string().trim().max(100).optional(),
        frequency: z.enum(CLEANING_FREQUENCIES),
        responsible: z.string().trim().max(60).optional(),
      }),
    )
    .max(100),
});

/* What the master-data API answers: the stored records (secrets never: no password hash, no key hash, no webhook URL). */
const stamp = z.string().meta({ format: 'date-time' });
export const regionView = z.looseObject({
  _id: z.string(),
  name: z.string(),
  nameEn: z.string().optional(),
  kind: z.enum(REGION_KINDS),
  parentId: z.string().optional(),
  path: z.array(z.string()).meta({ description: 'ancestors, root first, then this region' }),
});
export const agencyView = z.looseObject({
  _id: z.string(),
  name: z.string(),
  role: z.enum(AGENCY_ROLES),
  regionId: z.string(),
  industries: z.array(z.enum(INDUSTRIES)),
  emails: z.array(z.string()).optional().meta({ description: 'administrators only' }),
  webhookConfigured: z
    .boolean()
    .meta({ description: 'whether a chat robot webhook is set (its URL carries a key and is write-only)' }),
});
export const enterpriseView = z.looseObject({
  _id: z.string(),
  ...enterpriseFields.shape,
  dustType: ef.dustType.optional(),
  address: ef.address.optional(),
  hqEmail: ef.hqEmail.optional(),
  regionPath: z.array(z.string()),
  currentLevel: z.enum(LEVELS).optional(),
});
export const deviceView = z.looseObject({
  _id: z.string().meta({ description: 'the device code enterprises send as deviceCode' }),
  enterpriseId: z.string(),
  name: z.string(),
  kind: z.string(),
  system: z.string().optional(),
  status: z.enum(['active', 'suspended', 'retired']),
  indicators: z.array(
    z.looseObject({ code: z.string(), name: z.string(), kind: z.string(), unit: z.string(), intervalSec: z.number() }),
  ),
  createdAt: stamp,
});
export const videoChannelView = z.looseObject({
  _id: z.string(),
  enterpriseId: z.string(),
  name: z.string(),
  location: z.string().optional(),
  intervalSec: z.number().int(),
  createdAt: stamp,
});
export const userView = z.looseObject({
  _id: z.string().meta({ description: 'the username' }),
  displayName: z.string(),
  email: z.string().optional(),
  role: z.enum(USER_ROLES),
  agencyId: z.string().optional(),
  enterpriseId: z.string().optional(),
  active: z.boolean(),
  createdAt: stamp,
});
export const dataKeyView = z.looseObject({
  _id: z.string().meta({ description: 'the key id' }),
  enterpriseId: z.string(),
  label: z.string().optional(),
  createdAt: stamp,
  createdBy: z.string(),
  revokedAt: stamp.optional(),
  lastUsedAt: stamp.optional(),
});
/** An industry's indicator catalogue (domain/indicators) as served: entries kept as the domain writes them. */
export const indicatorCatalogueView = z.object({
  industry: z.enum(INDUSTRIES),
  version: z
    .number()
    .int()
    .meta({ description: 'the catalogue version a picked indicator records (catalogueVersion)' }),
  name: z.string().optional(),
  nameEn: z.string().optional(),
  scope: z.looseObject({}).optional().meta({ description: 'the seed clause that brings the industry in' }),
  indicators: z.array(
    z.looseObject({
      code: z.string().meta({ description: 'the catalogueCode a device indicator records' }),
      zh: z.string(),
      en: z.string(),
      signal: z.enum(['value', 'discrete_alarm', 'fault']),
      kind: z.string(),
      unit: z.string().optional(),
      source: z.looseObject({}).meta({ description: 'the seed clause (quoted) or the standard a seed names' }),
      draft: z
        .looseObject({})
        .meta({ description: 'the master-data indicator a pick starts from (enterpriseSets: what is left to enter)' }),
    }),
  ),
});
export const issuedDataKey = z.object({
  keyId: z.string(),
  key: z.string().meta({ description: 'wfk.<keyId>.<secret>: shown only here, only its hash is stored' }),
});
/** Paging of the lists (by id). */
export const pageQuery = {
  after: z.string().optional().meta({ description: 'the last id of the previous page' }),
  limit: z.string().optional().meta({ description: '1-500, default 50' }),
};
