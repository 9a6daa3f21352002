/**
 * What a device case (an alarm not disposed in time, a fault not repaired in time) does when its deadline passes:
 * the zone safety department is told, and the breach of seed 002 第二十五条 is proposed to the district industry
 * regulator as a penalty case of its own (立案查处: the regulator files or declines it), outliving the case that
 * found it. Each step is a timeline entry of the finding case.
 */
import { ParentClosePolicy, WorkflowIdReusePolicy, startChild } from '@temporalio/workflow';
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AgencyRef } from '../activities/monitoring';
import { caseSearchAttributes } from '../config/searchAttributes';
import { BREACH_VIOLATIONS, type BreachRule } from '../domain/enforcement';
import { penalty } from './penalty';

/** Mails the zone safety department `template` (when it has addresses) and writes the `kind` entry naming it. */
export async function tellZoneOverdue(
  act: Pick<ActivityInterfaceFor<Activities>, 'updateCase' | 'sendMail'>,
  p: {
    caseId: string;
    zone?: AgencyRef;
    kind: string;
    template: string;
    data: Record<string, unknown>;
    detail: string;
    at: () => string;
  },
): Promise<void> {
  const recipients = p.zone?.emails ?? [];
  if (recipients.length)
    await act.sendMail({
      key: `${p.caseId}/${p.kind}`,
      caseId: p.caseId,
      to: recipients,
      template: p.template,
      data: { ...p.data, agencyName: p.zone?.name },
    });
  await act.updateCase({
    caseId: p.caseId,
    entry: {
      key: p.kind,
      at: p.at(),
      kind: p.kind,
      actor: 'system',
      recipients: p.zone ? [p.zone.id, ...recipients] : [],
      detail: p.detail,
    },
  });
}

/** Starts `<caseId>/penalty` for `rule` with the found `facts`, then writes `penalty_proposed`; answers its id. */
export async function proposeBreachPenalty(
  act: Pick<ActivityInterfaceFor<Activities>, 'updateCase'>,
  p: { caseId: string; enterpriseId: string; regulatorId: string; rule: BreachRule; facts: string; at: () => string },
): Promise<string> {
  const penaltyId = `${p.caseId}/penalty`;
  await startChild(penalty, {
    workflowId: penaltyId,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    args: [
      {
        enterpriseId: p.enterpriseId,
        agencyId: p.regulatorId,
        violation: BREACH_VIOLATIONS[p.rule],
        parentCaseId: p.caseId,
        proposal: { rule: p.rule, facts: p.facts },
      },
    ],
    typedSearchAttributes: caseSearchAttributes('penalty', p.enterpriseId),
  });
  await act.updateCase({
    caseId: p.caseId,
    entry: {
      key: 'penalty_proposed',
      at: p.at(),
      kind: 'penalty_proposed',
      actor: 'system',
      recipients: [p.regulatorId],
      detail: `${penaltyId}: ${BREACH_VIOLATIONS[p.rule]}`,
    },
  });
  return penaltyId;
}
