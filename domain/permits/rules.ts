/**
 * The permit rules (特殊作业票规则) as data: per work type and level, the longest validity, the gas analysis
 * before work, the interruption limit, the re-analysis interval during work, the guardian's check-in
 * interval and the sign-off order. Versioned and editable by an administrator like the escalation ladder;
 * DEFAULT_PERMIT_POLICY is the shipped default. Each value names its source: a clause of GB 30871-2022
 * (clauses.ts) or `set_by_enterprise` where the standard gives no figure (then the shipped value is only a
 * starting point the administrator sets, or the rule is absent and the applicant's window decides).
 */
import { SET_BY_ENTERPRISE, type RuleSource } from './clauses';
import type { PermitLevel, SignOffRole, WorkType } from './workTypes';

export interface Ruled<T> {
  value: T;
  source: RuleSource;
}

export interface PermitRule {
  /** Longest validity of the permit (ISO-8601). Absent: the standard gives none; the applied window stands. */
  validity?: Ruled<string>;
  /** A gas analysis is required before work starts, sampled no longer than this before (ISO-8601). */
  analysisMaxAge?: Ruled<string>;
  /** An interruption longer than this needs a new gas analysis before the work resumes (ISO-8601). */
  interruptionLimit?: Ruled<string>;
  /** During the work a gas analysis (a monitoring record) is due at this interval (ISO-8601). */
  reanalysisEvery?: Ruled<string>;
  /** The standard asks for continuous monitoring during the work (shown on the permit; records at reanalysisEvery). */
  continuousMonitoring?: Ruled<boolean>;
  /** The guardian (监护人) checks in at this interval while the work goes on (ISO-8601). */
  guardianCheckInEvery: Ruled<string>;
  /** Who signs, in this order, before the permit is issued. */
  signOff: Ruled<SignOffRole[]>;
  /** Who approves (审批人): decides extension requests too. One of signOff. */
  approver: Ruled<SignOffRole>;
}

export type PermitRules = { [T in WorkType]: Partial<Record<PermitLevel, PermitRule>> };

export interface PermitPolicy {
  version: number;
  rules: PermitRules;
}

const enterprise = <T>(value: T): Ruled<T> => ({ value, source: SET_BY_ENTERPRISE });
/** The standard gives no check-in interval (only that the guardian stays on site): one hour is the platform's starting point. */
const CHECK_IN = enterprise('PT1H');

function hotWork(level: 'special' | 'level1' | 'level2'): PermitRule {
  const signers: Record<typeof level, SignOffRole[]> = {
    special: ['work_leader', 'unit', 'safety_dept', 'executive', 'shift_leader'],
    level1: ['work_leader', 'unit', 'safety_dept', 'shift_leader'],
    level2: ['work_leader', 'unit', 'shift_leader'],
  };
  const approver: Record<typeof level, SignOffRole> = { special: 'executive', level1: 'safety_dept', level2: 'unit' };
  return {
    validity: { value: level === 'level2' ? 'PT72H' : 'PT8H', source: 'hot_work.validity' },
    analysisMaxAge: { value: 'PT30M', source: 'hot_work.analysis' },
    interruptionLimit: { value: level === 'level2' ? 'PT60M' : 'PT30M', source: 'hot_work.interruption' },
    // Special hot work is monitored continuously (the standard); the record interval is the enterprise's,
    // the same 2 h the standard sets for confined spaces. Levels 1 and 2: each day's analysis before work.
    ...(level === 'special'
      ? { continuousMonitoring: { value: true, source: 'hot_work.continuous' }, reanalysisEvery: enterprise('PT2H') }
      : { reanalysisEvery: { value: 'P1D', source: 'hot_work.analysis' } }),
    guardianCheckInEvery: CHECK_IN,
    signOff: { value: signers[level], source: 'forms.hot_work' },
    approver: { value: approver[level], source: 'approval.table_b1' },
  };
}

/** Types the standard gives no validity or approver table for here: the work leader and the unit sign; the enterprise sets the rest. */
function plain(validity?: Ruled<string>): PermitRule {
  return {
    ...(validity ? { validity } : {}),
    guardianCheckInEvery: CHECK_IN,
    signOff: enterprise<SignOffRole[]>(['work_leader', 'unit']),
    approver: enterprise<SignOffRole>('unit'),
  };
}

export const DEFAULT_PERMIT_POLICY: PermitPolicy = {
  version: 1,
  rules: {
    hot_work: { special: hotWork('special'), level1: hotWork('level1'), level2: hotWork('level2') },
    confined_space: {
      single: {
        validity: { value: 'PT24H', source: 'confined_space.validity' },
        analysisMaxAge: { value: 'PT30M', source: 'confined_space.analysis' },
        interruptionLimit: { value: 'PT60M', source: 'confined_space.interruption' },
        continuousMonitoring: { value: true, source: 'confined_space.monitoring' },
        reanalysisEvery: { value: 'PT2H', source: 'confined_space.monitoring' },
        guardianCheckInEvery: CHECK_IN,
        signOff: { value: ['work_leader', 'unit'], source: 'forms.confined_space' },
        approver: { value: 'unit', source: 'approval.table_b1' },
      },
    },
    blind_plate: { single: plain() },
    work_at_height: {
      height_I: plain({ value: 'P7D', source: 'work_at_height.validity' }),
      height_II: plain({ value: 'P7D', source: 'work_at_height.validity' }),
      height_III: plain({ value: 'P7D', source: 'work_at_height.validity' }),
      height_IV: plain({ value: 'P7D', source: 'work_at_height.validity' }),
    },
    lifting: { level1: plain(), level2: plain(), level3: plain() },
    temporary_power: { single: plain({ value: 'P15D', source: 'temporary_power.validity' }) },
    excavation: { single: plain() },
    road_breaking: { single: plain() },
  },
};

/** The rule of a type and level, or undefined when the level is not one of the type's. */
export function ruleOf(policy: PermitPolicy, type: WorkType, level: PermitLevel): PermitRule | undefined {
  return policy.rules[type]?.[level];
}
