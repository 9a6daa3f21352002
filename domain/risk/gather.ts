/**
 * From the projections to the model's inputs (RiskInputs): what the recomputation activity reads of one enterprise
 * — its master data, its case records, its sources' liveness, its cleaning plan and check-ins, its permits — turned
 * into the figures the factors weigh, over the rules' window ending now. Pure: the activity reads, this counts.
 */
import type { Level } from '../cases';
import type { DustType, EnterpriseSize, Industry } from '../masterData';
import type { RiskInputs } from './model';
import type { WarningHistory } from './damping';

/** Who the risk model is when it raises, upgrades, downgrades or clears a warning (the timeline's actor). */
export const RISK_MODEL_ACTOR = 'risk_model';

export interface EnterpriseRow {
  industry: Industry;
  dustType?: DustType;
  dustWorkers?: number;
  size: EnterpriseSize;
  inherentRisk: Level;
}

/** A case record as the gathering reads it: open now, or opened or closed within the window. */
export interface CaseRow {
  type: string;
  status: 'open' | 'closed';
  openedAt: Date;
  closedAt?: Date;
  nextDue?: Date;
  /** The kinds of its timeline entries (overdue_escalated, rectification_ordered, …). */
  kinds: readonly string[];
}

export interface LivenessRow {
  offline?: boolean;
  neverReported?: boolean;
  suspendedUntil?: Date;
}

export interface CleaningRows {
  items: readonly { item: string; frequency: 'per_shift' | 'daily' | 'weekly' | 'monthly' }[];
  checkIns: readonly { item: string; at: Date }[];
}

export interface PermitRow {
  status: string;
  validTo: Date;
}

export interface EnterpriseRows {
  enterprise: EnterpriseRow;
  cases: readonly CaseRow[];
  liveness: readonly LivenessRow[];
  cleaning?: CleaningRows;
  permits: readonly PermitRow[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Check-ins an item asks for in a window of `days` (per shift: two shifts a day; a part of a week or month counts whole). */
const PLANNED: Record<CleaningRows['items'][number]['frequency'], (days: number) => number> = {
  per_shift: (d) => 2 * d,
  daily: (d) => d,
  weekly: (d) => Math.ceil(d / 7),
  monthly: (d) => Math.ceil(d / 30),
};
const LIVE_PERMIT = new Set(['issued', 'in_progress', 'suspended', 'awaiting_acceptance']);

/** The model's inputs of one enterprise at `nowMs` over a window of `windowMs`. */
export function riskInputsOf(rows: EnterpriseRows, nowMs: number, windowMs: number): RiskInputs {
  const from = nowMs - windowMs;
  const alarms = rows.cases.filter((c) => c.type === 'monitoring_alarm');
  const inWindow = alarms.filter((c) => c.openedAt.getTime() >= from);
  const hours = alarms.reduce((sum, c) => {
    const start = Math.max(c.openedAt.getTime(), from);
    const end = Math.min(c.status === 'open' ? nowMs : (c.closedAt?.getTime() ?? nowMs), nowMs);
    return end > start ? sum + (end - start) : sum;
  }, 0);
  const expected = rows.liveness.filter((l) => !(l.suspendedUntil && l.suspendedUntil.getTime() > nowMs));
  const days = Math.max(1, Math.round(windowMs / DAY_MS));
  let cleaningPlanned = 0;
  let cleaningDone = 0;
  for (const it of rows.cleaning?.items ?? []) {
    const planned = PLANNED[it.frequency]?.(days) ?? 0;
    const done = (rows.cleaning?.checkIns ?? []).filter(
      (c) => c.item === it.item && c.at.getTime() >= from && c.at.getTime() <= nowMs,
    ).length;
    cleaningPlanned += planned;
    cleaningDone += Math.min(done, planned);
  }
  const e = rows.enterprise;
  return {
    industry: e.industry,
    dustType: e.dustType,
    dustWorkers: e.dustWorkers ?? 0,
    size: e.size,
    declaredGrade: e.inherentRisk,
    alarms: {
      open: alarms.filter((c) => c.status === 'open').length,
      raised: inWindow.length,
      hoursInAlarm: Math.round((hours / HOUR_MS) * 10) / 10,
      overdueDisposals: inWindow.filter((c) => c.kinds.includes('overdue_escalated')).length,
    },
    devices: { expected: expected.length, online: expected.filter((l) => !l.offline && !l.neverReported).length },
    site: {
      cleaningDone,
      cleaningPlanned,
      openRectificationOrders: rows.cases.filter(
        (c) => c.type === 'onsite_supervision' && c.status === 'open' && c.kinds.includes('rectification_ordered'),
      ).length,
      overdueCases: rows.cases.filter(
        (c) => c.type !== 'monitoring_alarm' && c.status === 'open' && c.nextDue && c.nextDue.getTime() < nowMs,
      ).length,
      expiredPermits: rows.permits.filter(
        (p) =>
          (p.status === 'expired' && p.validTo.getTime() >= from) ||
          (LIVE_PERMIT.has(p.status) && p.validTo.getTime() < nowMs),
      ).length,
    },
  };
}

/**
 * The open warning as the damping sees it, from its case record: its level, and who raised it — the model when the
 * opening entry's actor is RISK_MODEL_ACTOR, else a regulator (whose warning the model only upgrades).
 */
export function openWarningOf(
  record: { level?: Level; timeline: readonly { kind: string; actor: string }[] } | undefined,
): WarningHistory['openWarning'] {
  if (!record?.level) return undefined;
  const opened = record.timeline.find((t) => t.kind === 'opened');
  return { level: record.level, raisedBy: opened?.actor === RISK_MODEL_ACTOR ? 'model' : 'regulator' };
}
