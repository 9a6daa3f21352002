/** Special-work permits (特殊作业票, GB 30871-2022): types, levels, rules as data with citations, the e-permit and its clocks. Pure. */
export * from './clauses';
export * from './workTypes';
export * from './rules';
export * from './validate';
export * from './application';
export * from './clocks';

/** The workflow (and case record) id of one permit application. */
export const permitCaseId = (permitId: string) => `permit/${permitId}`;

export const PERMIT_STATUSES = [
  'signing',
  'issued',
  'in_progress',
  'suspended',
  'awaiting_acceptance',
  'closed',
  'expired',
  'refused',
  'cancelled',
] as const;
export type PermitStatus = (typeof PERMIT_STATUSES)[number];
/** Statuses of a permit that is live on site or about to be (the regulators' "active permits"). */
export const ACTIVE_PERMIT_STATUSES: readonly PermitStatus[] = [
  'issued',
  'in_progress',
  'suspended',
  'awaiting_acceptance',
];

export const SUSPENSION_REASONS = [
  'gas_alarm',
  'weather',
  'incident',
  'guardian_absent',
  'analysis_overdue',
  'other',
] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/** What a conduct alarm (作业违规报警) of a permit is about. */
export const CONDUCT_ALARM_KINDS = ['missed_check_in', 'missed_reanalysis', 'expired_without_acceptance'] as const;
export type ConductAlarmKind = (typeof CONDUCT_ALARM_KINDS)[number];
export const CONDUCT_ALARM_ZH: Record<ConductAlarmKind, string> = {
  missed_check_in: '监护人未按时签到',
  missed_reanalysis: '未按时复测气体',
  expired_without_acceptance: '作业票到期未验收',
};
