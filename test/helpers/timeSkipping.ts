/** Temporal's time-skipping test server (the Java artifact from the tool folder), one per test file. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTimeSkippingTestServer } from '../../embedded/tools';
import { installQuietRuntime } from '../../worker/createWorker';

export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTimeSkippingTestServer() } },
  });
}
