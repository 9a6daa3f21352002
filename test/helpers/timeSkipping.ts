/** Temporal's time-skipping test server (the Java artifact from the tool folder), one per test file. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTimeSkippingTestServer } from '../../embedded/tools';

export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTimeSkippingTestServer() } },
  });
}
