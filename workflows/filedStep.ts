/**
 * A step a person files on a case (a disposal, an on-site record, an interview's minutes…): its task completes with
 * what they filed, then the case's timeline says so and its deadlines become the next step's. One place for the pair
 * of activities every follow-up workflow runs in this order; deterministic, the activities do the I/O.
 */
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../activities';

type CaseUpdate = Parameters<Activities['updateCase']>[0];

export interface FiledStep {
  /** The task's step: the task id is `${caseId}/${step}`. */
  step: string;
  by: string;
  result: Record<string, unknown>;
  /** The timeline entry's kind, also its key (a case files each step once). */
  kind: string;
  detail: string;
  recipients?: string[];
  /** The case's deadlines from now on; left as they are when absent. */
  deadlines?: CaseUpdate['deadlines'];
}

export async function recordFiledStep(
  act: Pick<ActivityInterfaceFor<Activities>, 'completeTask' | 'updateCase'>,
  caseId: string,
  s: FiledStep,
): Promise<void> {
  await act.completeTask({ taskId: `${caseId}/${s.step}`, by: s.by, result: s.result });
  await act.updateCase({
    caseId,
    ...(s.deadlines ? { deadlines: s.deadlines } : {}),
    entry: {
      key: s.kind,
      at: new Date().toISOString(),
      kind: s.kind,
      actor: s.by,
      ...(s.recipients ? { recipients: s.recipients } : {}),
      detail: s.detail,
    },
  });
}
