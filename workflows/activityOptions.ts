/**
 * How the workflows call their activities, in one place. A case step (write the projection, open a task,
 * issue a document, send a mail the case waits for) is retried until it is done: activities are
 * idempotent by key, and a step that can never succeed fails as non-retryable instead. Deliveries that
 * may be refused for good give up after 10 attempts and are recorded on the timeline.
 * The options are not part of a workflow's commands' identity, but their values are: keep them unless
 * the change is meant (running cases pick up new values at their next activity).
 */
import type { Duration } from '@temporalio/common';
import type { ActivityOptions, LocalActivityOptions, RetryPolicy } from '@temporalio/workflow';

/** 1 s, doubling, at most 1 min apart, without end. */
export const RETRY_UNTIL_DONE: RetryPolicy = { initialInterval: '1 second', maximumInterval: '1 minute' };

/** A case step of at most `startToCloseTimeout` per attempt, retried until done. */
export function caseStep(startToCloseTimeout: Duration): ActivityOptions {
  return { startToCloseTimeout, retry: RETRY_UNTIL_DONE };
}

/** A case step given up after 10 attempts (the failure is recorded and the case goes on). */
export function boundedCaseStep(startToCloseTimeout: Duration): ActivityOptions {
  return { startToCloseTimeout, retry: { ...RETRY_UNTIL_DONE, maximumAttempts: 10 } };
}

/** A mail or robot post: 10 attempts (about six minutes with the backoff), then recorded as failed; a refusal for good is not retried. */
export const DELIVERY: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10 },
};

/** Bookkeeping run as a local activity (a projection write that needs no task of its own). */
export const LOCAL_BOOKKEEPING: LocalActivityOptions = { startToCloseTimeout: '10 seconds', retry: RETRY_UNTIL_DONE };
