/**
 * The risk-warning escalation ladder (seed 002, 第二十条至第二十三条) as data, its validation, and
 * the pure clock maths the RiskWarning workflow follows. Seeds 001 and 004 leave the time limits to
 * each region: the ladder is versioned data an administrator edits; these are the shipped defaults.
 */
import { LEVELS, Level } from '../cases';
import { isDuration, parseDuration } from '../durations';

/** Who a ladder step names: the enterprise side, or an agency by role (never a person). */
export const RECIPIENT_ROLES = [
  'enterprise', // 企业（安全负责人）
  'enterprise_hq', // 企业总部
  'zone_safety_dept', // 功能区安全管理部门
  'district_industry_regulator', // 区行业监管部门
  'district_emergency_bureau', // 区应急管理局
  'municipal_bureau', // 市级系统（实时推送）
] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

export interface LevelRule {
  /** Pushed at once when a warning reaches this level. */
  pushTo: RecipientRole[];
  /** Tracks the warning (跟踪部门); `enterprise` means the enterprise's own closed loop. */
  trackedBy: RecipientRole;
  /** Not downgraded within this → a warning notice (警示通报). Absent: no notices (blue). */
  noticeAfter?: string;
  /** The party the notice goes to. */
  noticeTo?: RecipientRole;
  /** Then repeated at this interval until downgraded. */
  repeatEvery?: string;
  /** On-site supervision (现场核查督办) by the tracking agency after this. */
  onSiteAfter?: string;
  /** The article this rule encodes. */
  basis: string;
}

export interface EscalationPolicy {
  version: number;
  levels: Record<Level, LevelRule>;
}

export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  version: 0,
  levels: {
    blue: {
      pushTo: ['enterprise'],
      trackedBy: 'enterprise',
      basis: '第二十条（四）低风险（蓝色）：推送企业，企业常态化闭环管理并同步平台',
    },
    yellow: {
      pushTo: ['enterprise', 'zone_safety_dept', 'enterprise_hq'],
      trackedBy: 'zone_safety_dept',
      noticeAfter: 'PT1H',
      noticeTo: 'enterprise',
      repeatEvery: 'PT1H',
      onSiteAfter: 'PT24H',
      basis: '第二十三条 一般风险（黄色）：推送功能区安全管理部门和企业总部，1小时未降级自动向企业警示通报，每1小时重复，24小时现场核查督办',
    },
    orange: {
      pushTo: ['enterprise', 'district_industry_regulator', 'zone_safety_dept', 'enterprise_hq'],
      trackedBy: 'district_industry_regulator',
      noticeAfter: 'PT1H',
      noticeTo: 'district_industry_regulator',
      repeatEvery: 'PT1H',
      onSiteAfter: 'PT12H',
      basis: '第二十二条 较大风险（橙色）：推送区行业监管部门、功能区安全管理部门和企业总部，1小时未降级自动向区行业监管部门警示通报，每1小时重复，12小时现场核查督办',
    },
    red: {
      pushTo: ['enterprise', 'district_emergency_bureau', 'district_industry_regulator', 'zone_safety_dept', 'enterprise_hq', 'municipal_bureau'],
      trackedBy: 'district_industry_regulator',
      noticeAfter: 'PT30M',
      noticeTo: 'district_industry_regulator',
      repeatEvery: 'PT30M',
      onSiteAfter: 'PT2H',
      basis: '第二十一条 重大风险（红色）：推送区应急管理局、区行业监管部门、功能区安全管理部门和企业总部并实时推送市级系统，30分钟未降级自动向区行业监管部门警示通报，每30分钟重复，2小时现场核查督办',
    },
  },
};

export class PolicyError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Validates an administrator's ladder; throws PolicyError naming the field (e.g. `levels.red.noticeAfter`). */
export function validateEscalationPolicy(input: unknown): Omit<EscalationPolicy, 'version'> {
  const obj = input as { levels?: Record<string, Partial<LevelRule>> } | undefined;
  if (!obj || typeof obj !== 'object' || !obj.levels || typeof obj.levels !== 'object') throw new PolicyError('levels is required: one rule per level (red, orange, yellow, blue)', 'levels');
  const levels = {} as Record<Level, LevelRule>;
  for (const level of LEVELS) {
    const r = obj.levels[level];
    const f = `levels.${level}`;
    if (!r || typeof r !== 'object') throw new PolicyError(`${f} is required`, f);
    const role = (v: unknown, name: string): RecipientRole => {
      if (!(RECIPIENT_ROLES as readonly unknown[]).includes(v)) throw new PolicyError(`${f}.${name}: "${String(v)}" is not a recipient role (${RECIPIENT_ROLES.join(', ')})`, `${f}.${name}`);
      return v as RecipientRole;
    };
    const dur = (v: unknown, name: string): string | undefined => {
      if (v === undefined || v === null || v === '') return undefined;
      if (!isDuration(v) || parseDuration(v) <= 0) throw new PolicyError(`${f}.${name}: "${String(v)}" is not a positive ISO-8601 duration such as PT30M`, `${f}.${name}`);
      return v;
    };
    if (!Array.isArray(r.pushTo) || r.pushTo.length === 0) throw new PolicyError(`${f}.pushTo must list at least one recipient role`, `${f}.pushTo`);
    const rule: LevelRule = {
      pushTo: r.pushTo.map((x, i) => role(x, `pushTo.${i}`)),
      trackedBy: role(r.trackedBy, 'trackedBy'),
      noticeAfter: dur(r.noticeAfter, 'noticeAfter'),
      noticeTo: r.noticeTo === undefined ? undefined : role(r.noticeTo, 'noticeTo'),
      repeatEvery: dur(r.repeatEvery, 'repeatEvery'),
      onSiteAfter: dur(r.onSiteAfter, 'onSiteAfter'),
      basis: typeof r.basis === 'string' && r.basis.trim() ? r.basis : DEFAULT_ESCALATION_POLICY.levels[level].basis,
    };
    if (rule.noticeAfter && !rule.noticeTo) throw new PolicyError(`${f}.noticeTo is required when noticeAfter is set`, `${f}.noticeTo`);
    levels[level] = rule;
  }
  return { levels };
}

export interface LadderPlan {
  /** Instants (ms) of warning notices from `since` up to `horizon`, in order. */
  noticesAt: number[];
  onSiteAt?: number;
}

/** The clock of one level from the instant the warning reached it: what falls due until `horizon`. */
export function plan(rule: LevelRule, sinceMs: number, horizonMs: number): LadderPlan {
  const noticesAt: number[] = [];
  if (rule.noticeAfter) {
    const first = sinceMs + parseDuration(rule.noticeAfter);
    const every = rule.repeatEvery ? parseDuration(rule.repeatEvery) : 0;
    for (let t = first; t <= horizonMs; t += every) {
      noticesAt.push(t);
      if (!every) break;
    }
  }
  return { noticesAt, onSiteAt: rule.onSiteAfter ? sinceMs + parseDuration(rule.onSiteAfter) : undefined };
}

/** The next notice instant strictly after `afterMs` (or the first one), undefined when the level sends none. */
export function nextNoticeAt(rule: LevelRule, sinceMs: number, afterMs: number): number | undefined {
  if (!rule.noticeAfter) return undefined;
  const first = sinceMs + parseDuration(rule.noticeAfter);
  if (afterMs < first) return first;
  if (!rule.repeatEvery) return undefined;
  const every = parseDuration(rule.repeatEvery);
  return first + (Math.floor((afterMs - first) / every) + 1) * every;
}

/** Upgrade: red is highest. */
export function isUpgrade(from: Level, to: Level): boolean {
  return LEVELS.indexOf(to) < LEVELS.indexOf(from);
}
