/** Issue 16: when the case record and its workflow disagree (web/cases/workflowStatus.ts). */
import { disagreementOf, temporalUiWorkflowUrl } from '../../web/cases/workflowStatus';

const open = { status: 'open' as const };
const closedAt = new Date('2026-12-01T00:00:00Z');
const closed = { status: 'closed' as const, closedAt };

test('an open record whose workflow ended, a closed one whose workflow runs on, and one without a workflow', () => {
  expect(disagreementOf(open, 'RUNNING')).toBeUndefined();
  expect(disagreementOf(open, 'TERMINATED')).toBe('ended');
  expect(disagreementOf(open, 'COMPLETED')).toBe('ended');
  expect(disagreementOf(open, 'NOT_FOUND')).toBe('missing');
  expect(disagreementOf(closed, 'COMPLETED')).toBeUndefined();
  expect(disagreementOf(closed, 'NOT_FOUND')).toBeUndefined();
  expect(disagreementOf(closed, 'RUNNING', new Date('2026-11-30T00:00:00Z'))).toBe('running');
  // The enterprise's next warning reuses the workflow id: a run started after this record closed is not this case.
  expect(disagreementOf(closed, 'RUNNING', new Date('2026-12-02T00:00:00Z'))).toBeUndefined();
  // Temporal did not answer: nothing is claimed.
  expect(disagreementOf(open, 'UNKNOWN')).toBeUndefined();
});

test("the Temporal UI's page of a workflow", () => {
  expect(temporalUiWorkflowUrl('http://127.0.0.1:8233/', 'default', 'risk-warning/ent-1')).toBe(
    'http://127.0.0.1:8233/namespaces/default/workflows/risk-warning%2Fent-1',
  );
});
