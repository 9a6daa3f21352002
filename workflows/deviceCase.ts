/**
 * What a device's case (a monitoring alarm 监测报警, a device fault 设备故障) does when it opens: the case record with
 * its opening entry and deadline, the enterprise's mail beside it (reading → first mail is the latency that
 * matters), the enterprise's task, then the `notified` entry. Deterministic; the activities do the I/O. The mail is
 * scheduled before the record's write, as both workflows first did (their replay fixtures hold that order).
 */
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { EnterpriseContext } from '../activities/monitoring';
import type { CaseType } from '../domain/cases';

type Book = Pick<ActivityInterfaceFor<Activities>, 'openCase' | 'createTask' | 'updateCase'>;
type Mailer = Pick<ActivityInterfaceFor<Activities>, 'sendMail'>;

export interface DeviceCaseOpening {
  caseId: string;
  type: Extract<CaseType, 'monitoring_alarm' | 'device_fault'>;
  title: string;
  ctx: EnterpriseContext;
  policyVersion: number;
  openedAt: string;
  /** The enterprise's deadline (disposal, repair). */
  deadline: { kind: string; due: string };
  /** The opening entry's words. */
  detail: string;
  /** The enterprise's mail, sent beside the record's write; none when it has no address (or for old histories). */
  mail?: { template: string; data: Record<string, unknown> };
}

/** Writes the case record (with its opening entry) and sends the enterprise's mail beside it. */
export async function recordDeviceCaseOpening(book: Book, act: Mailer, o: DeviceCaseOpening): Promise<void> {
  const told = o.mail
    ? act.sendMail({ key: `${o.caseId}/notified`, caseId: o.caseId, to: o.ctx.emails, ...o.mail })
    : undefined;
  const opened = book.openCase({
    caseId: o.caseId,
    type: o.type,
    title: o.title,
    enterpriseId: o.ctx.enterpriseId,
    regionPath: o.ctx.regionPath,
    industry: o.ctx.industry,
    trackingAgencyId: o.ctx.agencies.zone_safety_dept?.id,
    policyVersion: o.policyVersion,
    openedAt: o.openedAt,
    deadlines: [o.deadline],
    entry: { key: 'opened', at: o.openedAt, kind: 'opened', actor: 'system', detail: o.detail },
  });
  await Promise.all([opened, told]);
}

/** The enterprise's task of the case (`<caseId>/<step>`), due at the case's deadline. */
export async function openEnterpriseTask(
  book: Book,
  t: {
    caseId: string;
    step: string;
    caseType: DeviceCaseOpening['type'];
    title: string;
    ctx: EnterpriseContext;
    due: string;
    form: string;
  },
): Promise<void> {
  await book.createTask({
    taskId: `${t.caseId}/${t.step}`,
    caseId: t.caseId,
    caseType: t.caseType,
    kind: t.step,
    title: t.title,
    enterpriseId: t.ctx.enterpriseId,
    assigneeEnterpriseId: t.ctx.enterpriseId,
    due: t.due,
    form: t.form,
  });
}

/** The `notified` entry: the enterprise (and the addresses it was mailed at) told of the case. */
export async function recordNotified(book: Book, caseId: string, ctx: EnterpriseContext, at: string): Promise<void> {
  await book.updateCase({
    caseId,
    entry: {
      key: 'notified',
      at,
      kind: 'notified',
      actor: 'system',
      recipients: ctx.emails.length ? [ctx.enterpriseId, ...ctx.emails] : [ctx.enterpriseId],
    },
  });
}
