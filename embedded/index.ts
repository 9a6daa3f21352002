/**
 * Brings up what warnflow talks to — Temporal, MongoDB, SMTP — for the main run and for the tests.
 * An address in the environment always wins; otherwise the embedded service is started on loopback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configuredTemporalAddress, paths, ports } from '../config';
import { RunningService } from './process';
import { capacityWarning, embeddedStoreCapacity } from '../config/storeCapacity';
import { embeddedStoreStatus, startMongo } from './mongo';
import { ensureMosquitto } from './tools';
import { startMosquitto } from './mosquitto';
import { startSmtpCatcher } from './smtp';
import { startTemporalDevServer } from './temporal';

export interface Services {
  /** Environment for the worker and web processes (and the test files). */
  env: Record<string, string>;
  temporalUiUrl?: string;
  describe: string[];
  stop(): Promise<void>;
}

export async function startServices(
  mode: 'run' | 'test',
  env: NodeJS.ProcessEnv = process.env,
  say: (l: string) => void = () => {},
): Promise<Services> {
  const started: RunningService[] = [];
  const out: Record<string, string> = {};
  const describe: string[] = [];
  const scratch = mode === 'test' ? fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-test-')) : undefined;
  const logDir = scratch ? path.join(scratch, 'logs') : paths.logs;
  let temporalUiUrl: string | undefined;

  const stop = async () => {
    // Reverse order: nothing stops before what depends on it.
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  };

  try {
    // TEMPORAL_ADDRESS, or the address of the profile TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE names (config/temporal.ts).
    const temporalAddress = configuredTemporalAddress(env);
    if (temporalAddress) {
      out.TEMPORAL_ADDRESS = temporalAddress;
      describe.push(
        `Temporal: ${temporalAddress} (${env.TEMPORAL_ADDRESS ? 'TEMPORAL_ADDRESS' : `profile ${env.TEMPORAL_PROFILE ?? 'default'}`})`,
      );
    } else {
      say(
        mode === 'run'
          ? 'starting Temporal dev server (SQLite file under .data/)'
          : 'starting Temporal dev server (in memory)',
      );
      if (mode === 'run') fs.mkdirSync(paths.data, { recursive: true });
      const t = await startTemporalDevServer(
        mode === 'run'
          ? { port: ports.temporal, uiPort: ports.temporalUi, dbFile: paths.temporalDb, logDir }
          : { headless: true, logDir },
      );
      started.push(t);
      out.TEMPORAL_ADDRESS = t.address;
      temporalUiUrl = t.uiUrl;
      describe.push(`Temporal: ${t.address} (embedded dev server${t.uiUrl ? `, UI ${t.uiUrl}` : ''})`);
    }

    if (env.MONGODB_URI) {
      out.MONGODB_URI = env.MONGODB_URI;
      describe.push('MongoDB: MONGODB_URI');
    } else {
      say(mode === 'run' ? 'starting MongoDB (H2 file under .data/)' : 'starting MongoDB (memory backend)');
      // The run's server is started again if it dies (crash, kill -9): its H2 file reopens at the last commit.
      const m = await startMongo(
        mode === 'run' ? { port: ports.mongo, dataDir: paths.data, logDir, restart: true, say } : { logDir },
      );
      started.push(m);
      out.MONGODB_URI = `${m.address}/warnflow`;
      const status =
        mode === 'run' && m.kind === 'mongo-java-server' ? await embeddedStoreStatus(m.address) : undefined;
      describe.push(
        `MongoDB: ${m.address} (${m.kind}${status ? `, ${status.documents.toLocaleString('en')} documents, ${(status.fileBytes / 2 ** 20).toFixed(0)} MiB; tested up to ${embeddedStoreCapacity.testedDocuments.toLocaleString('en')} documents` : ''})`,
      );
      const warning = status && capacityWarning(status);
      if (warning) say(`WARNING: ${warning}`);
    }

    if (env.SMTP_URL) {
      out.SMTP_URL = env.SMTP_URL;
      if (env.WARNFLOW_MAILBOX_DIR) out.WARNFLOW_MAILBOX_DIR = env.WARNFLOW_MAILBOX_DIR;
      describe.push(`SMTP: ${env.SMTP_URL} (SMTP_URL)`);
    } else {
      const mailboxDir = scratch ? path.join(scratch, 'mailbox') : paths.mailbox;
      const s = await startSmtpCatcher({ port: mode === 'run' ? ports.smtp : undefined, mailboxDir });
      started.push(s);
      out.SMTP_URL = s.address;
      out.WARNFLOW_MAILBOX_DIR = mailboxDir;
      describe.push(`SMTP: ${s.address} (embedded catcher, mailbox ${mailboxDir})`);
    }

    if (env.MQTT_URL) {
      out.MQTT_URL = env.MQTT_URL;
      if (env.WARNFLOW_MQTT_AUTH_DIR) out.WARNFLOW_MQTT_AUTH_DIR = env.WARNFLOW_MQTT_AUTH_DIR;
      describe.push('MQTT broker: MQTT_URL');
    } else {
      // Debian's mosquitto (embedded/tools.ts); without it the run goes on with HTTP ingestion only.
      const mosquitto = ensureMosquitto(say);
      if (mosquitto) {
        const dir = path.join(scratch ?? paths.data, 'mosquitto');
        const b = await startMosquitto({ mosquitto, port: mode === 'run' ? ports.mqtt : undefined, dir, logDir });
        started.push(b);
        out.MQTT_URL = b.ingesterUrl;
        out.WARNFLOW_MQTT_AUTH_DIR = dir;
        describe.push(
          `MQTT broker: ${b.address} (embedded mosquitto; gateways publish to warnflow/<enterpriseId>/readings with a data key)`,
        );
      } else describe.push('MQTT broker: none (mosquitto could not be installed; set MQTT_URL)');
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { env: out, temporalUiUrl, describe, stop };
}
