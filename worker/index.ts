/** The worker entry point: config → connections → activities with real dependencies → Worker.run(). */
import { ConfigError, loadConfig, temporalConnectionOptions } from '../config';
import { createLogger } from '../lib/log';
import { createMailer } from '../lib/mailer';
import { connectDatabase } from '../models';
import { createWorker, installQuietRuntime } from './createWorker';
import { Client, Connection } from '@temporalio/client';
import { ensureReportSchedules } from './reportSchedules';
import { ensureOfflineSweepSchedule } from './offlineSweepSchedule';
import { ensureRiskSchedule } from './riskSchedule';
import { DEFAULT_OFFLINE_POLICY } from '../domain/offline';
import { offlinePolicyInForce } from '../models/OfflinePolicy';

async function main() {
  const config = loadConfig();
  const log = createLogger({ service: 'worker' }, config.logLevel);
  const { conn, models } = await connectDatabase(config.mongodbUri);
  const mailer = createMailer(config.smtpUrl);
  // The SDK's Prometheus exporter (and warnflow_activity_failures) on WARNFLOW_BIND:WARNFLOW_WORKER_METRICS_PORT.
  let metricsAddress = config.workerMetricsPort ? `${config.bindAddress}:${config.workerMetricsPort}` : undefined;
  try {
    installQuietRuntime({ metricsBindAddress: metricsAddress });
  } catch (err) {
    // E.g. the port is taken (a second worker on this machine): the worker runs on, without its exporter.
    log.warn('worker metrics not served', { address: metricsAddress, err });
    metricsAddress = undefined;
    installQuietRuntime();
  }
  const { worker, connection } = await createWorker({
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    models,
    mailer,
    mailFrom: config.mailFrom,
    municipalFeed: config.municipalFeed,
    temporalSecurity: config.temporalSecurity,
  });
  // Report schedules (weekly Monday 11:00, monthly 1st 11:00, Asia/Shanghai), created or updated idempotently.
  const scheduleConnection = await Connection.connect(
    temporalConnectionOptions(config.temporalAddress, config.temporalSecurity),
  );
  const scheduleClient = new Client({ connection: scheduleConnection, namespace: config.temporalNamespace });
  const schedules = await ensureReportSchedules(scheduleClient, config.taskQueue);
  // The offline sweep (every sweepEvery of the offline rules in force); the web app follows a new version of them.
  schedules.push(
    await ensureOfflineSweepSchedule(
      scheduleClient,
      config.taskQueue,
      await offlinePolicyInForce(models.OfflinePolicy, DEFAULT_OFFLINE_POLICY),
    ),
  );
  // The risk model's recompute of every enterprise (every 15 min; input changes recompute one enterprise at once).
  schedules.push(await ensureRiskSchedule(scheduleClient, config.taskQueue));
  await scheduleConnection.close();
  log.info('worker started', {
    taskQueue: config.taskQueue,
    temporal: config.temporalAddress,
    schedules,
    metrics: metricsAddress && `http://${metricsAddress}/metrics`,
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => worker.shutdown());
  await worker.run();
  await connection.close();
  await conn.close();
  mailer.close();
  log.info('worker stopped');
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else createLogger({ service: 'worker' }).error('worker failed', { err });
  process.exit(1);
});
