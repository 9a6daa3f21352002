/**
 * The worker's metrics: the Temporal SDK exports its own (task slots, poll and schedule-to-start latencies,
 * workflow and activity outcomes) through the runtime's Prometheus exporter (installQuietRuntime's
 * metricsBindAddress, WARNFLOW_WORKER_METRICS_PORT); warnflow adds `warnflow_activity_failures`, each failed
 * activity attempt by activity type, through the same exporter (the activity context's metric meter).
 */
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors, WorkerInterceptors } from '@temporalio/worker';

/** Counts each activity attempt that throws; the error goes on unchanged (retries, the workflow's handling). */
export function activityFailureCounter(ctx: Context): ActivityInterceptors {
  return {
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          ctx.metricMeter
            .createCounter('warnflow_activity_failures', undefined, 'Failed activity attempts, by activity type')
            .add(1); // the context's meter labels it with activityType, namespace and taskQueue
          throw err;
        }
      },
    },
  };
}

export const workerInterceptors: WorkerInterceptors = { activity: [activityFailureCounter] };
