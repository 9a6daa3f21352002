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

/**
 * An update's validator for a step filed once (a disposal, a repair): refused when the case is closed or the step is
 * filed already. Runs before the update enters history, so a refusal changes nothing.
 */
export function refuseRefiling(state: { closed: boolean; filed: boolean }, step: string): void {
  if (state.closed) throw new Error('the case is closed');
  if (state.filed) throw new Error(`the ${step} is already filed`);
}

/** Each named field of a filing must be a non-empty text; the message names the first that is not, as the web answers. */
export function requireTexts(filing: object | undefined, fields: readonly string[]): void {
  for (const f of fields) {
    const v = (filing as Record<string, unknown> | undefined)?.[f];
    if (typeof v !== 'string' || !v.trim()) throw new Error(`${f}: must not be empty`);
  }
}
