/**
 * What the enforcement follow-up cases (interview 约谈, penalty 行政处罚) share when they open: the policy they keep and
 * the parties they read, and the shape of their tasks. Deterministic; the activities do the I/O.
 */
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FollowUpContext } from '../activities/enforcement';
import type { EnforcementPolicy } from '../domain/enforcement';

type EnforcementActivities = Pick<
  ActivityInterfaceFor<Activities>,
  'currentEnforcementPolicy' | 'followUpContext' | 'createTask'
>;

/** The policy given to the case, or the one in force when it opens (read first), then the enterprise and agency. */
export async function enforcementSetting(
  act: EnforcementActivities,
  input: { policy?: EnforcementPolicy; enterpriseId: string; agencyId: string },
): Promise<{ policy: EnforcementPolicy; ctx: FollowUpContext }> {
  const policy = input.policy ?? (await act.currentEnforcementPolicy());
  const ctx = await act.followUpContext({ enterpriseId: input.enterpriseId, agencyId: input.agencyId });
  return { policy, ctx };
}

/** A task of the case, titled `words：enterprise`, for the agency or (with `enterprise`) for the enterprise. */
export const enforcementTask =
  (act: EnforcementActivities, caseId: string, caseType: 'interview' | 'penalty', ctx: FollowUpContext) =>
  (step: string, kind: string, form: string, words: string, due?: string, enterprise = false) =>
    act.createTask({
      taskId: `${caseId}/${step}`,
      caseId,
      caseType,
      kind,
      title: `${words}：${ctx.enterpriseName}`,
      enterpriseId: ctx.enterpriseId,
      ...(enterprise ? { assigneeEnterpriseId: ctx.enterpriseId } : { assigneeAgencyId: ctx.agencyId }),
      due,
      form,
    });
