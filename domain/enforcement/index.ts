/**
 * Enforcement follow-ups (执法跟进): the clocks of an Interview (约谈) and of a Penalty (行政处罚) as
 * versioned policy data with defaults, validated like the escalation ladder (ISO-8601 durations,
 * down to seconds so drills and tests can run a scaled version). Pure: imported by workflows.
 */
import { isDuration, parseDuration } from '../durations';

export interface InterviewClock {
  /** The agency schedules the interview (time, place, attendees) within this (约谈安排). */
  scheduleWithin: string;
  /** Minutes (约谈纪要) are due this long after the interview time. */
  minutesWithin: string;
  /** The reminder to the enterprise comes this long before its commitments fall due. */
  remindBefore: string;
}

export interface PenaltyClock {
  /** Case filing (立案) after the penalty is opened. */
  filingWithin: string;
  /** Investigation and evidence (调查取证) after filing. */
  investigationWithin: string;
  /**
   * Statement, defence and hearing request (陈述、申辩、要求听证) after the advance notice: the
   * Administrative Penalty Law gives five days to ask for a hearing (第六十四条).
   */
  statementWindow: string;
  /** The hearing (听证) after it is requested. */
  hearingWithin: string;
  /** The decision (决定) after the window closes or the hearing is held. */
  decisionWithin: string;
  /** Service of the decision (送达): seven days when not handed over on the spot (第六十一条). */
  serviceWithin: string;
  /** Execution (执行): fines are paid within fifteen days of service (第六十七条). */
  executionWithin: string;
}

export interface EnforcementPolicy {
  version: number;
  interview: InterviewClock;
  penalty: PenaltyClock;
}

export const DEFAULT_ENFORCEMENT_POLICY: EnforcementPolicy = {
  version: 1,
  interview: { scheduleWithin: 'P3D', minutesWithin: 'P1D', remindBefore: 'P1D' },
  penalty: {
    filingWithin: 'P7D',
    investigationWithin: 'P30D',
    statementWindow: 'P5D',
    hearingWithin: 'P15D',
    decisionWithin: 'P7D',
    serviceWithin: 'P7D',
    executionWithin: 'P15D',
  },
};

export const INTERVIEW_CLOCKS = [
  'scheduleWithin',
  'minutesWithin',
  'remindBefore',
] as const satisfies readonly (keyof InterviewClock)[];
export const PENALTY_CLOCKS = [
  'filingWithin',
  'investigationWithin',
  'statementWindow',
  'hearingWithin',
  'decisionWithin',
  'serviceWithin',
  'executionWithin',
] as const satisfies readonly (keyof PenaltyClock)[];

import type { PolicyProblem } from '../policyProblems';
export type { PolicyProblem };

/** Every problem of a policy, each naming its field (`penalty.statementWindow`). */
export function enforcementPolicyProblems(p: unknown): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const o = (p ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const check = (section: 'interview' | 'penalty', keys: readonly string[]) => {
    const s = o[section];
    if (!s || typeof s !== 'object')
      return void out.push({ field: section, message: 'must be an object of ISO-8601 durations' });
    for (const k of keys) {
      const v = s[k];
      if (!isDuration(v))
        out.push({
          field: `${section}.${k}`,
          message: `must be an ISO-8601 duration such as PT30M, P5D (got ${JSON.stringify(v)})`,
        });
      else if (parseDuration(v) <= 0) out.push({ field: `${section}.${k}`, message: 'must be longer than zero' });
    }
  };
  check('interview', INTERVIEW_CLOCKS);
  check('penalty', PENALTY_CLOCKS);
  return out;
}

/** An instant plus a policy duration, as ISO-8601 (deterministic: usable in workflows). */
export function after(instant: string, duration: string): string {
  return new Date(Date.parse(instant) + parseDuration(duration)).toISOString();
}

/**
 * The breaches of seed 002 第二十五条 that lead the platform to propose a penalty case (立案查处) to the
 * district industry regulator, who files or declines it with a reason, in the law's words.
 */
export const BREACH_RULES = ['hazard_not_eliminated', 'equipment_not_maintained', 'serious_breach'] as const;
export type BreachRule = (typeof BREACH_RULES)[number];
export const BREACH_VIOLATIONS: Record<BreachRule, string> = {
  /** An alarm not disposed in time (发现属于报警不及时处置的). */
  hazard_not_eliminated: '生产经营单位未采取措施消除事故隐患',
  /** A device fault not repaired in time (发现属于监测监控设备故障未及时维修保养的). */
  equipment_not_maintained: '未对安全设备进行经常性维护、保养和定期检修',
  /** Destroying or switching off devices, unexplained power or network cuts, long offline (情节严重). */
  serious_breach: '破坏、停用采集设备、无故停电、断网、离线等情节严重行为',
};
/**
 * The serious breaches of 002 第二十五条 (情节严重行为) a regulator may publicly notify (公开通报), one per
 * kind of conduct the article names, in its words.
 */
export const SERIOUS_BREACHES = [
  'devices_destroyed',
  'devices_switched_off',
  'power_cut',
  'network_cut',
  'offline_without_reason',
] as const;
export type SeriousBreach = (typeof SERIOUS_BREACHES)[number];
export const SERIOUS_BREACH_ZH: Record<SeriousBreach, string> = {
  devices_destroyed: '破坏采集设备',
  devices_switched_off: '停用采集设备',
  power_cut: '无故停电',
  network_cut: '无故断网',
  offline_without_reason: '无故离线',
};
export const BREACH_CITATION = '《滨海新区大应急融合平台建设运行管理办法》第二十五条';

/** A penalty the platform proposes: the regulator's filing task may decline it (不予立案) with a reason. */
export interface PenaltyProposal {
  rule: BreachRule;
  /** What was found, e.g. the alarm and how long it went without disposal. */
  facts: string;
}
