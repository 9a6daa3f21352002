/**
 * The one place for ports, folders, versions and environment configuration.
 * Everything else imports from here; nothing else reads process.env directly.
 */
import path from 'node:path';
import fs from 'node:fs';
import { SEARCH_ATTRIBUTE_KEYS } from './searchAttributes';
import { temporalSettings, type TemporalSecurity } from './temporal';

export { configuredTemporalAddress, temporalConnectionOptions, type TemporalSecurity } from './temporal';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

const root = findRoot(__dirname);

/** Pinned versions of everything the project installs for itself. */
export const versions = {
  /** Newest tag whose go.mod has no `replace` directive, so `go install` works. */
  temporalCli: 'v1.5.1',
  temporalTestServer: '1.38.0',
  mongoJavaServer: '1.47.0',
  slf4j: '2.0.17',
  /** Debian bookworm's mosquitto (the embedded MQTT broker), fetched with apt-get download (embedded/tools.ts). */
  mosquitto: '2.0.11',
} as const;

const tools = process.env.WARNFLOW_TOOLS_DIR ?? path.join(root, '.tools');
const data = process.env.WARNFLOW_DATA_DIR ?? path.join(root, '.data');

export const paths = {
  root,
  templates: path.join(root, 'templates'),
  java: path.join(root, 'java'),
  /** Git-ignored: built binaries and jars, kept between runs. */
  tools,
  toolsBin: path.join(tools, 'bin'),
  jars: path.join(tools, 'jars'),
  javaClasses: path.join(tools, 'java-classes'),
  /** Git-ignored: the main run's databases, mailbox and logs. */
  data,
  logs: path.join(data, 'logs'),
  temporalDb: path.join(data, 'temporal.sqlite'),
  mongoDb: path.join(data, 'mongo.mv'),
  mailbox: path.join(data, 'mailbox'),
  uploads: path.join(data, 'uploads'),
  /** Official documents as issued, PDFs (activities/documents.ts). */
  documents: path.join(data, 'documents'),
  /** Report PDFs (activities/reportPdf.ts). */
  reports: path.join(data, 'reports'),
} as const;

/** Loopback ports of the main run. Tests take free ports instead. */
export const ports = {
  web: 3000,
  temporal: 7233,
  temporalUi: 8233,
  mongo: 27027,
  smtp: 2525,
  /** The embedded MQTT broker (mosquitto), loopback only. */
  mqtt: 1883,
  /** The worker's Prometheus exporter (Temporal SDK telemetry). */
  workerMetrics: 9464,
} as const;

/**
 * Custom search attributes registered on every Temporal server we start, name → type as the CLI takes it
 * (the typed keys: config/searchAttributes.ts). WarnflowLevel was registered and never set: dropped.
 */
export const searchAttributes: Record<string, 'Keyword'> = Object.fromEntries(
  SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, 'Keyword']),
);

export interface AppConfig {
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  mongodbUri: string;
  smtpUrl: string;
  mailFrom: string;
  /** Where the embedded SMTP catcher stores what it receives (absent with an external SMTP). */
  mailboxDir?: string;
  webPort: number;
  /** Interface the web app listens on: loopback by default, 0.0.0.0 in a container. */
  bindAddress: string;
  publicUrl: string;
  /** Link shown on the home page when the run started Temporal's UI. */
  temporalUiUrl?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** `npm start` runs the data simulator against the demo world unless WARNFLOW_SIMULATOR=off. */
  simulator: boolean;
  /** Password of the initial administrator `admin`, used only when it is first created. */
  adminPassword?: string;
  /**
   * WARNFLOW_DEMO=1: the demo-case pages and API (`/demo`, `/api/v1/demo-cases`, which mail any
   * address from the official sender) exist, for signed-in users. Off in production; `npm start` sets it.
   */
  demo: boolean;
  /**
   * WARNFLOW_TRUSTED_PROXIES: the proxies whose X-Forwarded-For / X-Forwarded-Proto are believed
   * (comma-separated addresses or CIDRs, or `loopback`, `linklocal`, `uniquelocal`). Empty: none —
   * the client address is the socket's (what the login limiter counts by).
   */
  trustedProxies: string[];
  /**
   * WARNFLOW_ALLOW_PRIVATE_WEBHOOKS=1: agencies' chat-robot webhooks may point at loopback or private
   * addresses (a robot gateway on the agency's own network). Off: refused (400 naming webhookUrl).
   */
  allowPrivateWebhooks: boolean;
  /**
   * MUNICIPAL_FEED_URL + MUNICIPAL_FEED_SECRET: the municipal monitoring system's real-time feed (002 第二十三条):
   * a red warning and each change of it are POSTed there, signed with HMAC-SHA256 under the shared secret. Unset: no feed.
   */
  municipalFeed?: { url: string; secret: string };
  /**
   * How the web app and the worker reach a Temporal server that requires mTLS or an API key
   * (Temporal Cloud, or a self-hosted server with TLS), as the SDK's @temporalio/envconfig reads the
   * environment (config/temporal.ts: TEMPORAL_TLS_*, TEMPORAL_API_KEY, TEMPORAL_GRPC_META_*, a profile file).
   * Unset: plain gRPC (the embedded dev server on loopback).
   */
  temporalSecurity: TemporalSecurity;
  /**
   * METRICS_TOKEN: the bearer token a Prometheus presents to read the web app's /metrics. Unset: only loopback
   * callers that no proxy forwarded may read it.
   */
  metricsToken?: string;
  /**
   * WARNFLOW_WORKER_METRICS_PORT: where the worker serves the Temporal SDK's Prometheus metrics (and warnflow's
   * activity failures), on WARNFLOW_BIND; 9464 by default, `0` turns it off.
   */
  workerMetricsPort: number;
  /**
   * MQTT_URL (mqtt:// or mqtts://, with the ingester's user and password): the broker the web app ingests readings
   * from (web/monitoring/mqtt.ts); `npm start` starts an embedded mosquitto and sets it. Unset: no MQTT ingestion.
   * WARNFLOW_MQTT_AUTH_DIR: the broker's password/ACL folder that warnflow rewrites from the data keys (and whose
   * pid file it signals); MQTT_CLIENT_ID: the ingester's persistent session (warnflow-ingester).
   */
  mqtt?: { url: string; authDir?: string; clientId: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Reads and validates the environment. Every bad value is named with what was expected, and all
 * problems are reported at once so an operator fixes them in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];

  const hostPort = (name: string, fallback: string): string => {
    const v = env[name] || fallback;
    if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(v))
      problems.push(`${name}="${v}" must be host:port, e.g. 127.0.0.1:7233`);
    return v;
  };
  const url = (name: string, fallback: string, schemes: string[]): string => {
    const v = env[name] ?? fallback;
    try {
      const u = new URL(v);
      if (!schemes.includes(u.protocol.replace(/:$/, ''))) {
        problems.push(`${name}="${v}" must use ${schemes.join(' or ')}://`);
      }
    } catch {
      problems.push(`${name}="${v}" is not a URL (expected e.g. ${schemes[0]}://…)`);
    }
    return v;
  };
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) problems.push(`${name}="${raw}" must be a port number 0-65535`);
    return n;
  };
  const nonEmpty = (name: string, fallback: string): string => {
    const v = env[name] ?? fallback;
    if (v.trim() === '') problems.push(`${name} must not be empty`);
    return v;
  };

  const flag = (name: string): boolean => {
    const v = (env[name] ?? '').trim().toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(v)) return true;
    if (!['', '0', 'false', 'off', 'no'].includes(v)) problems.push(`${name}="${env[name]}" must be 1 or 0`);
    return false;
  };

  const proxies = (name: string): string[] => {
    const list = (env[name] ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    for (const p of list) {
      if (!['loopback', 'linklocal', 'uniquelocal'].includes(p) && !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(p))
        problems.push(`${name}: "${p}" must be an address, a CIDR (10.0.0.0/8) or loopback, linklocal, uniquelocal`);
    }
    return list;
  };

  const municipalFeed = (): AppConfig['municipalFeed'] => {
    const feedUrl = (env.MUNICIPAL_FEED_URL ?? '').trim();
    const secret = env.MUNICIPAL_FEED_SECRET ?? '';
    if (!feedUrl && !secret) return undefined;
    if (!feedUrl)
      problems.push('MUNICIPAL_FEED_SECRET is set: MUNICIPAL_FEED_URL must name the municipal feed endpoint');
    else if (!/^https?:\/\/[^\s]+$/.test(feedUrl))
      problems.push(`MUNICIPAL_FEED_URL="${feedUrl}" must be an http(s) URL`);
    if (secret.length < 16)
      problems.push('MUNICIPAL_FEED_SECRET must be at least 16 characters (the key both systems sign with)');
    return { url: feedUrl, secret };
  };

  // TLS, API key, namespace, a profile file: the SDK's own reading of the environment (config/temporal.ts).
  const temporal = temporalSettings(env);
  problems.push(...temporal.problems);

  const metricsToken = (): string | undefined => {
    const v = env.METRICS_TOKEN?.trim();
    if (!v) return undefined;
    if (v.length < 16)
      problems.push('METRICS_TOKEN must be at least 16 characters (the bearer token Prometheus sends)');
    return v;
  };

  const webPort = port('PORT', ports.web);
  const logLevel = (env.LOG_LEVEL ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL="${env.LOG_LEVEL}" must be one of ${LOG_LEVELS.join(', ')}`);
  const mailFrom = nonEmpty('MAIL_FROM', 'warnflow <noreply@warnflow.local>');
  if (!/@/.test(mailFrom)) problems.push(`MAIL_FROM="${mailFrom}" must contain an email address`);

  const config: AppConfig = {
    temporalAddress: hostPort('TEMPORAL_ADDRESS', temporal.address ?? `127.0.0.1:${ports.temporal}`),
    temporalNamespace: temporal.namespace ?? 'default',
    taskQueue: nonEmpty('WARNFLOW_TASK_QUEUE', 'warnflow'),
    mongodbUri: url('MONGODB_URI', `mongodb://127.0.0.1:${ports.mongo}/warnflow`, ['mongodb', 'mongodb+srv']),
    smtpUrl: url('SMTP_URL', `smtp://127.0.0.1:${ports.smtp}`, ['smtp', 'smtps']),
    mailFrom,
    mailboxDir: env.WARNFLOW_MAILBOX_DIR || undefined,
    webPort,
    bindAddress: env.WARNFLOW_BIND || '127.0.0.1',
    temporalUiUrl: env.WARNFLOW_TEMPORAL_UI_URL || undefined,
    // A bad PORT is already reported; do not report it twice through the derived default URL.
    publicUrl: url(
      'PUBLIC_URL',
      `http://127.0.0.1:${Number.isInteger(webPort) && webPort <= 65535 ? webPort : ports.web}`,
      ['http', 'https'],
    ),
    logLevel,
    adminPassword: env.WARNFLOW_ADMIN_PASSWORD || undefined,
    simulator: env.WARNFLOW_SIMULATOR !== 'off',
    demo: flag('WARNFLOW_DEMO'),
    trustedProxies: proxies('WARNFLOW_TRUSTED_PROXIES'),
    allowPrivateWebhooks: flag('WARNFLOW_ALLOW_PRIVATE_WEBHOOKS'),
    municipalFeed: municipalFeed(),
    temporalSecurity: temporal.security,
    metricsToken: metricsToken(),
    workerMetricsPort: port('WARNFLOW_WORKER_METRICS_PORT', ports.workerMetrics),
    mqtt: env.MQTT_URL
      ? {
          url: url('MQTT_URL', '', ['mqtt', 'mqtts']),
          authDir: env.WARNFLOW_MQTT_AUTH_DIR || undefined,
          clientId: env.MQTT_CLIENT_ID || 'warnflow-ingester',
        }
      : undefined,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
