/** Builds the one warnflow worker: real connections → activities → Worker. Used by the entry point and the tests. */
import { IllegalStateError } from '@temporalio/common';
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import path from 'node:path';
import { createActivities } from '../activities';
import type { Mailer } from '../lib/mailer';
import type { Models } from '../models';
import { temporalConnectionOptions, type TemporalSecurity } from '../config';
import { workerInterceptors } from './metrics';

let runtimeInstalled = false;

/**
 * The SDK logs every worker state change at INFO; warnflow keeps WARN and above. With `metricsBindAddress`
 * (host:port) the runtime serves its Prometheus metrics there (worker/metrics.ts). Call before any worker:
 * the runtime is one per process.
 */
export function installQuietRuntime(opts: { metricsBindAddress?: string } = {}): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: {
        logging: { filter: 'WARN', forward: {} },
        ...(opts.metricsBindAddress ? { metrics: { prometheus: { bindAddress: opts.metricsBindAddress } } } : {}),
      },
    });
  } catch (err) {
    // Already installed (by an earlier worker of this process) is fine; a metrics port in use is not.
    if (!(err instanceof IllegalStateError)) {
      runtimeInstalled = false;
      throw err;
    }
  }
}

export interface WorkerDeps {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  models: Models;
  mailer: Mailer;
  mailFrom: string;
  /** The municipal real-time feed (config MUNICIPAL_FEED_URL / _SECRET). */
  municipalFeed?: { url: string; secret: string };
  /** mTLS / API key of the Temporal server (config TEMPORAL_TLS_*, TEMPORAL_API_KEY); none for the dev server. */
  temporalSecurity?: TemporalSecurity;
}

export async function createWorker(deps: WorkerDeps): Promise<{ worker: Worker; connection: NativeConnection }> {
  installQuietRuntime();
  const connection = await NativeConnection.connect(
    temporalConnectionOptions(deps.temporalAddress, deps.temporalSecurity),
  );
  const worker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    // Compiled: dist/workflows/index.js; under Jest: workflows/index.ts (the bundler handles both).
    workflowsPath: require.resolve(path.join(__dirname, '..', 'workflows')),
    activities: createActivities({
      models: deps.models,
      mailer: deps.mailer,
      mailFrom: deps.mailFrom,
      municipalFeed: deps.municipalFeed,
      riskRecomputeOnCaseChange: true,
    }),
    interceptors: workerInterceptors,
  });
  return { worker, connection };
}
