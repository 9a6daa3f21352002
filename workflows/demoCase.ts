/**
 * DemoCase (演示案件): the foundation's proof that the pipes work end to end — web starts it, an
 * activity writes the case record to MongoDB, another sends a mail, an optional follow-up timer
 * of any length (days, in tests) fires, and the case closes. Later case types follow this shape.
 */
import { defineQuery, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { caseStep } from './activityOptions';
import { parseDuration } from '../domain/durations';

export interface DemoCaseInput {
  recipient: string;
  message: string;
  /** ISO-8601 duration after which a follow-up mail is sent and the case closes. */
  followUpAfter?: string;
  caseUrl: string;
}

export interface DemoCaseState {
  status: 'open' | 'closed';
  steps: string[];
  followUpDue?: string;
}

export const demoCaseStateQuery = defineQuery<DemoCaseState>('demoCaseState');

const { openCase, updateCase, sendMail } = proxyActivities<Activities>(caseStep('30 seconds'));

export async function demoCase(input: DemoCaseInput): Promise<DemoCaseState> {
  const caseId = workflowInfo().workflowId;
  const state: DemoCaseState = { status: 'open', steps: [] };
  setHandler(demoCaseStateQuery, () => state);
  // Workflow time: deterministic, and the time-skipping server moves it.
  const now = () => new Date().toISOString();

  await openCase({
    caseId,
    type: 'demo',
    title: input.message.slice(0, 80),
    openedAt: now(),
    entry: { key: 'opened', at: now(), kind: 'opened', actor: 'system', detail: input.message },
  });
  state.steps.push('opened');

  await sendMail({
    key: `${caseId}/notified`,
    caseId,
    to: [input.recipient],
    template: 'demo-case-opened',
    data: { caseId, message: input.message, caseUrl: input.caseUrl },
  });
  await updateCase({
    caseId,
    entry: { key: 'notified', at: now(), kind: 'notified', actor: 'system', recipients: [input.recipient] },
  });
  state.steps.push('notified');

  if (input.followUpAfter) {
    const ms = parseDuration(input.followUpAfter);
    state.followUpDue = new Date(Date.now() + ms).toISOString();
    await updateCase({ caseId, deadlines: [{ kind: 'follow_up', due: state.followUpDue }] });
    await sleep(ms);
    await sendMail({
      key: `${caseId}/follow-up`,
      caseId,
      to: [input.recipient],
      template: 'demo-case-follow-up',
      data: { caseId, followUpAfter: input.followUpAfter },
    });
    await updateCase({
      caseId,
      entry: { key: 'follow_up', at: now(), kind: 'follow_up', actor: 'system', recipients: [input.recipient] },
    });
    state.steps.push('follow_up');
  }

  state.status = 'closed';
  await updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    deadlines: [],
    entry: { key: 'closed', at: now(), kind: 'closed', actor: 'system' },
  });
  state.steps.push('closed');
  return state;
}
