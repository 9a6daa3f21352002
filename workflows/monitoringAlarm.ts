/**
 * MonitoringAlarm (监测报警): one case per device indicator at a time, workflow id
 * `alarm/<deviceCode>/<indicator>`, started by signal-with-start from ingestion when the debounced
 * breach is detected (domain/alarms.ts), so a storm of readings never opens a duplicate.
 * The enterprise is told at once and gets an `alarm_disposal` task; if it files no disposal (处置反馈)
 * within the policy's time, the zone safety department is told. The case closes when the value is
 * back to normal AND the disposal is filed. Every step is a timeline entry.
 */
import {
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PATCHES } from './patches';
import { caseStep } from './activityOptions';
import { localBookkeeping } from './bookkeeping';
import type { AlarmDisposal, AlarmPolicy, BreachKind } from '../domain/alarms';
import { compactInstant } from '../domain/cases';
import { parseDuration } from '../domain/durations';
import { proposeBreachPenalty, tellZoneOverdue } from './overdueBreach';
import { openEnterpriseTask, recordDeviceCaseOpening, recordNotified } from './deviceCase';
import { recordFiledStep, refuseRefiling, requireTexts } from './filedStep';

/** An alarm overdue for disposal proposes a penalty case (002 第二十五条); alarms before only escalated. */
const OVERDUE_PENALTY_PROPOSAL = PATCHES.monitoringAlarm.overduePenaltyProposal;

export interface AlarmBreach {
  value: number;
  ts: string;
  breach: BreachKind;
  threshold: number;
}

export interface MonitoringAlarmInput {
  deviceCode: string;
  indicator: string;
  indicatorName: string;
  unit: string;
  enterpriseId: string;
  policy: AlarmPolicy;
  publicUrl?: string;
}

export interface MonitoringAlarmState {
  caseId?: string;
  status: 'opening' | 'open' | 'closed';
  firstBreach?: AlarmBreach;
  breaches: number;
  valueNormal: boolean;
  disposal?: AlarmDisposal;
  disposalDue?: string;
  escalated: boolean;
}

/** A debounced breach (also the signal of signal-with-start). */
export const alarmBreachSignal = defineSignal<[AlarmBreach]>('alarmBreach');
/** The value is back to normal (hysteresis passed). */
export const alarmNormalSignal = defineSignal<[{ ts: string; value: number }]>('alarmNormal');
/** The enterprise files its disposal; refused when one is already filed or a field is empty. */
export const fileAlarmDisposalUpdate = defineUpdate<MonitoringAlarmState, [AlarmDisposal]>('fileAlarmDisposal');
export const monitoringAlarmStateQuery = defineQuery<MonitoringAlarmState>('monitoringAlarmState');

const act = proxyActivities<Activities>(caseStep('30 seconds'));

export async function monitoringAlarm(input: MonitoringAlarmInput): Promise<MonitoringAlarmState> {
  const state: MonitoringAlarmState = { status: 'opening', breaches: 0, valueNormal: false, escalated: false };
  let normalEntries = 0;
  let pendingNormal: { ts: string; value: number } | undefined;

  setHandler(monitoringAlarmStateQuery, () => state);
  setHandler(alarmBreachSignal, (b) => {
    state.breaches++;
    state.firstBreach ??= b;
    state.valueNormal = false;
    pendingNormal = undefined;
  });
  setHandler(alarmNormalSignal, (n) => {
    if (!state.firstBreach || state.valueNormal) return;
    state.valueNormal = true;
    pendingNormal = n;
  });
  setHandler(
    fileAlarmDisposalUpdate,
    (d) => {
      state.disposal = d;
      return state;
    },
    {
      validator: (d: AlarmDisposal) => {
        refuseRefiling({ closed: state.status === 'closed', filed: !!state.disposal }, 'disposal');
        requireTexts(d, ['cause', 'measures', 'responsible']);
      },
    },
  );

  // Signal-with-start delivers the breach before the first line runs; wait for it anyway.
  await condition(() => !!state.firstBreach);
  const breach = state.firstBreach!;
  const now = () => new Date().toISOString();
  const openedAt = now();
  const caseId = `${workflowInfo().workflowId}/${compactInstant(openedAt)}`;
  state.caseId = caseId;
  const disposalMs = parseDuration(input.policy.disposalWithin);
  state.disposalDue = new Date(Date.now() + disposalMs).toISOString();

  // The enterprise's mail is the alarm's purpose: it goes out beside the case's recording, before the rest of
  // the bookkeeping (reading → mail is the latency goal). Patched so histories recorded before still replay.
  const mailFirst = patched(PATCHES.monitoringAlarm.alarmMailFirst);
  const book = mailFirst ? localBookkeeping : act;
  const ctx = await book.enterpriseContext({ enterpriseId: input.enterpriseId });
  const zone = ctx.agencies.zone_safety_dept;
  const what = `${input.deviceCode} ${input.indicatorName} ${breach.value}${input.unit}（阈值 ${breach.threshold}${input.unit}）`;
  const mailData = {
    caseId,
    enterpriseName: ctx.enterpriseName,
    deviceCode: input.deviceCode,
    indicatorName: input.indicatorName,
    value: breach.value,
    unit: input.unit,
    threshold: breach.threshold,
    ts: breach.ts,
    disposalWithin: input.policy.disposalWithin,
    disposalDue: state.disposalDue,
    disposalUrl: `${input.publicUrl ?? ''}/api/v1/alarms/${encodeURIComponent(input.deviceCode)}/${encodeURIComponent(input.indicator)}/disposal`,
  };
  await recordDeviceCaseOpening(book, act, {
    caseId,
    type: 'monitoring_alarm',
    title: `监测报警：${ctx.enterpriseName} ${input.deviceCode} ${input.indicatorName}`,
    ctx,
    policyVersion: input.policy.version,
    openedAt,
    deadline: { kind: 'disposal', due: state.disposalDue },
    detail: `${breach.breach} ${what} at ${breach.ts}`,
    mail: mailFirst && ctx.emails.length ? { template: 'alarm-opened', data: mailData } : undefined,
  });
  state.status = 'open';
  const alarmsToday = await book.countAlarmOpened({
    caseId,
    deviceCode: input.deviceCode,
    enterpriseId: input.enterpriseId,
    at: openedAt,
  });
  if (alarmsToday > input.policy.burstAlarmsPerDay) {
    // Data quality (数据质量): a burst of alarms on one device.
    await book.updateCase({
      caseId,
      entry: {
        key: 'burst_of_alarms',
        at: now(),
        kind: 'burst_of_alarms',
        actor: 'system',
        detail: `${alarmsToday} alarm cases on ${input.deviceCode} today (more than ${input.policy.burstAlarmsPerDay})`,
      },
    });
  }
  await openEnterpriseTask(book, {
    caseId,
    step: 'alarm_disposal',
    caseType: 'monitoring_alarm',
    title: `报警处置反馈：${input.deviceCode} ${input.indicatorName}`,
    ctx,
    due: state.disposalDue,
    form: 'alarmDisposal',
  });
  if (ctx.emails.length && !mailFirst) {
    await act.sendMail({ key: `${caseId}/notified`, caseId, to: ctx.emails, template: 'alarm-opened', data: mailData });
  }
  await recordNotified(book, caseId, ctx, now());

  const dueAt = Date.parse(state.disposalDue);
  let disposalWritten = false;
  for (;;) {
    const work = () =>
      !!pendingNormal || (!!state.disposal && !disposalWritten) || (state.valueNormal && disposalWritten);
    const waitMs = !state.disposal && !state.escalated ? Math.max(dueAt - Date.now(), 1) : undefined;
    const woke = waitMs === undefined ? (await condition(work), true) : await condition(work, waitMs);
    if (!woke) {
      state.escalated = true;
      await tellZoneOverdue(act, {
        caseId,
        zone,
        kind: 'overdue_escalated',
        template: 'alarm-overdue',
        data: mailData,
        detail: `no disposal within ${input.policy.disposalWithin}`,
        at: now,
      });
      // 002 第二十五条: an alarm not disposed in time is filed for "未采取措施消除事故隐患" — proposed to the
      // district industry regulator as a penalty case it files or declines. Cases before the patch only escalated.
      const regulator = ctx.agencies.district_industry_regulator ?? ctx.agencies.district_emergency_bureau;
      if (regulator && patched(OVERDUE_PENALTY_PROPOSAL)) {
        await proposeBreachPenalty(act, {
          caseId,
          enterpriseId: ctx.enterpriseId,
          regulatorId: regulator.id,
          rule: 'hazard_not_eliminated',
          facts: `监测报警 ${what} 自 ${breach.ts} 起未在 ${input.policy.disposalWithin} 内处置反馈`,
          at: now,
        });
      }
      continue;
    }
    if (pendingNormal) {
      const n = pendingNormal;
      pendingNormal = undefined;
      normalEntries++;
      await act.updateCase({
        caseId,
        entry: {
          key: `value_normal/${normalEntries}`,
          at: now(),
          kind: 'value_normal',
          actor: 'system',
          detail: `${n.value}${input.unit} at ${n.ts}`,
        },
      });
    }
    if (state.disposal && !disposalWritten) {
      const d = state.disposal;
      await recordFiledStep(act, caseId, {
        step: 'alarm_disposal',
        by: d.filedBy,
        result: { cause: d.cause, measures: d.measures, responsible: d.responsible },
        deadlines: [],
        kind: 'disposal_filed',
        detail: `原因 cause: ${d.cause}; 措施 measures: ${d.measures}; 责任人 responsible: ${d.responsible}`,
      });
      disposalWritten = true;
    }
    // A normal value that arrived while an activity ran is written first.
    if (state.valueNormal && disposalWritten && !pendingNormal) break;
  }

  state.status = 'closed';
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    deadlines: [],
    entry: { key: 'closed', at: now(), kind: 'closed', actor: 'system' },
  });
  return state;
}
