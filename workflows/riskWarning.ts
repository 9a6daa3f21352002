/**
 * RiskWarning (风险预警): one open warning per enterprise, workflow id `risk-warning/<enterpriseId>`,
 * started by signal-with-start (raiseWarningSignal) so a second raise changes the open one's level.
 * The clock follows domain/escalation plan(): pushed at once to the ladder's parties, warning notices
 * (警示通报) to the party the ladder names if not downgraded, repeated at the interval, and on-site
 * supervision (现场核查督办, a child workflow) at the on-site deadline. A running warning keeps the
 * policy version it started with unless an administrator migrates it (migratePolicyUpdate). Level changes
 * and enterprise feedback are updates; clear (消警) closes. Each party is told by mail, by an in-app
 * notification (站内通知) and, for an agency with one, by its chat-robot webhook.
 * The case record id is the workflow id plus the opening instant, so a later warning gets a fresh record.
 * Its parts: messages (riskWarningMessages.ts), the inbox of handlers (riskWarningInbox.ts), the run it
 * shares (riskWarningRun.ts), the level's clock (riskWarningClock.ts), deliveries (riskWarningDeliveries.ts)
 * and the steps (riskWarningSteps.ts). Patch ids: workflows/patches.ts, ledger workflows/PATCHES.md.
 */
import { condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { PATCHES } from './patches';
import { nextDeadline } from './riskWarningClock';
import { hasWork, listen } from './riskWarningInbox';
import type { RiskWarningInput, RiskWarningState } from './riskWarningMessages';
import { decidePatches } from './riskWarningRun';
import {
  closeWarning,
  deadlineDue,
  openWarning,
  push,
  takeAcknowledgements,
  takeFeedback,
  takeLevelChanges,
  takeMigrations,
} from './riskWarningSteps';

export * from './riskWarningMessages';

export async function riskWarning(input: RiskWarningInput): Promise<RiskWarningState> {
  const patches = decidePatches();
  const state: RiskWarningState = {
    enterpriseId: input.enterpriseId,
    status: 'opening',
    policyVersion: input.policy.version,
    deadlines: [],
    noticesIssued: 0,
    onSiteCaseIds: [],
    emergency: false,
  };
  const inbox = listen(input, state);

  await condition(() => !!inbox.opening);
  const opening = inbox.opening!;
  const run = await openWarning(input, state, opening, patches, workflowInfo().workflowId);
  await push(run, run.policy.levels[run.level].pushTo, opening.reason, opening.by);

  for (;;) {
    const d = nextDeadline(run);
    const woke = d
      ? await condition(() => hasWork(inbox), Math.max(Date.parse(d.due) - Date.now(), 1))
      : (await condition(() => hasWork(inbox)), true);
    if (!woke && d) {
      await deadlineDue(run, d);
      continue;
    }
    await takeAcknowledgements(run, inbox);
    await takeFeedback(run, inbox);
    await takeMigrations(run, inbox);
    if (await takeLevelChanges(run, inbox)) break;
  }

  await closeWarning(run);
  if (inbox.reopenWith.length && patched(PATCHES.riskWarning.raiseAfterClear)) {
    // Same workflow id (one open warning per enterprise), a new run and a new case id.
    const [first, ...rest] = inbox.reopenWith;
    await continueAsNew<typeof riskWarning>({
      enterpriseId: input.enterpriseId,
      policy: first.policy ?? run.policy,
      publicUrl: input.publicUrl,
      reopening: first,
      raisedSince: rest,
    });
  }
  return state;
}
