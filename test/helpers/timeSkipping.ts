/** Temporal's time-skipping test server (the Java artifact from the tool folder), one per test file. */
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { searchAttributes } from '../../config';
import { ensureTimeSkippingTestServer } from '../../embedded/tools';
import { installQuietRuntime } from '../../worker/createWorker';

/** Attempts to start the server: the SDK gives its Java process 5 s, which a machine loaded by parallel runs can miss. */
const START_ATTEMPTS = 4;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  let env: TestWorkflowEnvironment | undefined;
  for (let attempt = 1; !env; attempt++) {
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: ensureTimeSkippingTestServer() } },
      });
    } catch (err) {
      if (attempt >= START_ATTEMPTS || !/did not start within/.test((err as Error).message)) throw err;
    }
  }
  // The Java test server knows no custom search attributes until told; without them a workflow
  // that sets one is retried forever instead of failing.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      Object.keys(searchAttributes).map((name) => [
        name,
        temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The real workflows bundled once per test file (jest gives each file its own module registry): a worker
 * given `workflowsPath` bundles them again, 5-20 s each under load, which pushed tests past jest's timeout.
 */
export function workflowsBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve(path.join(__dirname, '..', '..', 'workflows')),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  return bundle;
}
