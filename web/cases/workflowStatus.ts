/**
 * What operators see of a case's workflow on its page (administrators only): a link to it in Temporal's UI
 * (WARNFLOW_TEMPORAL_UI_URL; `npm start` sets the embedded dev server's UI) and its status from describe(),
 * beside the projection's, with the disagreement named — a workflow that ended (e.g. terminated by hand) while
 * the case record still says open, a record closed while its workflow runs on, or no workflow at all.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Principal } from '../../domain/access';
import type { CaseRecordDoc } from '../../models/CaseRecord';
import { workflowIdOf } from './cases';

export type WorkflowDisagreement = 'ended' | 'running' | 'missing';

export interface CaseWorkflowView {
  workflowId: string;
  uiUrl?: string;
  /** describe()'s status name (RUNNING, COMPLETED, TERMINATED, …), NOT_FOUND, or UNKNOWN when Temporal did not answer. */
  status: string;
  disagreement?: WorkflowDisagreement;
}

/** How long a case page waits for describe() before it shows UNKNOWN. */
const DESCRIBE_DEADLINE_MS = 2000;

/** The case's workflow page in Temporal's UI. */
export function temporalUiWorkflowUrl(base: string, namespace: string, workflowId: string): string {
  return `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Does the projection's status disagree with the workflow's? `startedAt`: the workflow's current run. */
export function disagreementOf(
  record: Pick<CaseRecordDoc, 'status' | 'closedAt'>,
  status: string,
  startedAt?: Date,
): WorkflowDisagreement | undefined {
  if (status === 'UNKNOWN') return undefined;
  if (status === 'NOT_FOUND') return record.status === 'open' ? 'missing' : undefined;
  const running = status === 'RUNNING' || status === 'CONTINUED_AS_NEW';
  if (record.status === 'open' && !running) return 'ended';
  // A risk warning's workflow id is the enterprise's: a run started after this record closed is a later warning.
  if (record.status === 'closed' && running && !(startedAt && record.closedAt && startedAt > record.closedAt))
    return 'running';
  return undefined;
}

export function createCaseWorkflowService(deps: { temporal: Client; temporalUiUrl?: string }) {
  const { temporal } = deps;
  return {
    async forCase(
      p: Principal,
      record: Pick<CaseRecordDoc, '_id' | 'type' | 'status' | 'closedAt'>,
    ): Promise<CaseWorkflowView | undefined> {
      if (p.role !== 'admin') return undefined;
      const workflowId = workflowIdOf(record);
      const uiUrl = deps.temporalUiUrl
        ? temporalUiWorkflowUrl(deps.temporalUiUrl, temporal.options.namespace, workflowId)
        : undefined;
      let status = 'UNKNOWN';
      let startedAt: Date | undefined;
      try {
        const d = await temporal.withDeadline(Date.now() + DESCRIBE_DEADLINE_MS, () =>
          temporal.workflow.getHandle(workflowId).describe(),
        );
        status = d.status.name;
        startedAt = d.startTime;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) status = 'NOT_FOUND';
      }
      return { workflowId, uiUrl, status, disagreement: disagreementOf(record, status, startedAt) };
    },
  };
}
export type CaseWorkflowService = ReturnType<typeof createCaseWorkflowService>;
