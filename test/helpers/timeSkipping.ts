/** Temporal's time-skipping test server (the Java artifact from the tool folder), one per test file. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { searchAttributes } from '../../config';
import { ensureTimeSkippingTestServer } from '../../embedded/tools';
import { installQuietRuntime } from '../../worker/createWorker';

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTimeSkippingTestServer() } },
  });
  // The Java test server knows no custom search attributes until told; without them a workflow
  // that sets one is retried forever instead of failing.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      Object.keys(searchAttributes).map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
  return env;
}
