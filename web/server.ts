/** The web entry point: config → connections → app → listen. */
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig, temporalConnectionOptions } from '../config';
import { createLogger } from '../lib/log';
import { createMailer } from '../lib/mailer';
import { connectDatabase } from '../models';
import { closeApp, createApp } from './app';
import { createAuthService } from './access/auth';
import type { createServices } from './composition';
import { startMqttIngester } from './monitoring/mqtt';

async function main() {
  const config = loadConfig();
  const log = createLogger({ service: 'web' }, config.logLevel);
  const { conn, models } = await connectDatabase(config.mongodbUri);
  const connection = await Connection.connect(
    temporalConnectionOptions(config.temporalAddress, config.temporalSecurity),
  );
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const mailer = createMailer(config.smtpUrl);
  const initial = await createAuthService({ models }).ensureInitialAdmin(config.adminPassword);
  if (initial.generatedPassword) {
    // Printed once, on the start that creates the account; never stored in clear.
    process.stderr.write(
      `\n[warnflow] initial administrator: admin / ${initial.generatedPassword}  (set WARNFLOW_ADMIN_PASSWORD to choose it)\n\n`,
    );
  }
  const app = createApp({ config, temporal, db: conn, models, mailer, log, temporalUiUrl: config.temporalUiUrl });
  // MQTT ingestion (MQTT_URL): the broker's users written from the keys first, then the ingester subscribes.
  const services = app.locals.services as ReturnType<typeof createServices>;
  await services.brokerAuthSync?.();
  const ingester = config.mqtt
    ? startMqttIngester({ url: config.mqtt.url, clientId: config.mqtt.clientId, readings: services.readings, log })
    : undefined;
  const server = app.listen(config.webPort, config.bindAddress, () => {
    log.info('web listening', { url: config.publicUrl });
  });
  const stop = () => {
    server.close(() => {
      void (async () => {
        await ingester?.stop();
        await closeApp(app);
        await connection.close();
        await conn.close();
        mailer.close();
      })()
        .catch((err: unknown) => log.error('shutdown failed', { err }))
        .finally(() => process.exit(0));
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else createLogger({ service: 'web' }).error('web failed', { err });
  process.exit(1);
});
