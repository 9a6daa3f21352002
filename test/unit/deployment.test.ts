/**
 * Issue 12 finding 10: the deployment publishes only the TLS proxy, keeps Temporal, MongoDB and the
 * mail catcher on an internal network, requires the administrator password, and lets the web app and
 * the worker reach a Temporal server with mTLS or an API key (read from the environment).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { loadConfig, paths, temporalConnectionOptions } from '../../config';

interface Service {
  ports?: string[];
  networks?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
}
const compose = yaml.load(fs.readFileSync(path.join(paths.root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
};
const text = fs.readFileSync(path.join(paths.root, 'docker-compose.yml'), 'utf8');

test('only the TLS proxy publishes ports to the world; the UI of Temporal only on the host loopback, with a profile', () => {
  const published = Object.entries(compose.services)
    .filter(([, s]) => s.ports?.length)
    .map(([name, s]) => [name, s.ports]);
  expect(published).toEqual([
    ['proxy', ['80:80', '443:443']],
    ['temporal-ui', ['127.0.0.1:8080:8080']],
    ['grafana', ['127.0.0.1:3001:3000']],
  ]);
  expect(compose.services['temporal-ui'].profiles).toEqual(['ops']);
});

test('Temporal, its database, MongoDB and the mail catcher are on the internal network only', () => {
  expect(compose.networks.backend).toEqual({ internal: true });
  for (const name of ['temporal', 'postgresql', 'mongo', 'mailpit', 'temporal-setup'])
    expect(compose.services[name].networks).toEqual(['backend']);
  expect(compose.services.web.networks).toContain('edge');
  expect(compose.services.proxy.networks).toEqual(['edge']);
});

test('the administrator password is required (no default), the public URL is https and proxy headers are trusted from the edge network only', () => {
  expect(text).toContain('WARNFLOW_ADMIN_PASSWORD: ${WARNFLOW_ADMIN_PASSWORD:?');
  expect(text).not.toContain('change-me-now');
  const env = compose.services.web.environment!;
  expect(env.PUBLIC_URL).toMatch(/^https:\/\//);
  expect(env.WARNFLOW_TRUSTED_PROXIES).toBe('172.30.0.0/24');
  for (const k of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_API_KEY'])
    expect(Object.keys(compose.services.worker.environment!)).toContain(k);
});

test("Temporal's mTLS and API key come from the environment into the connection options of the web app and the worker", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-tls-'));
  for (const f of ['client.pem', 'client.key', 'ca.pem']) fs.writeFileSync(path.join(dir, f), `-----BEGIN ${f}-----\n`);
  const config = loadConfig({
    TEMPORAL_ADDRESS: 'ns.a1b2c.tmprl.cloud:7233',
    TEMPORAL_TLS_CERT: path.join(dir, 'client.pem'),
    TEMPORAL_TLS_KEY: path.join(dir, 'client.key'),
    TEMPORAL_TLS_CA: path.join(dir, 'ca.pem'),
    TEMPORAL_API_KEY: 'key-123',
  });
  const o = temporalConnectionOptions(config.temporalAddress, config.temporalSecurity) as {
    address: string;
    apiKey?: string;
    tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer };
  };
  expect(o.address).toBe('ns.a1b2c.tmprl.cloud:7233');
  expect(o.apiKey).toBe('key-123');
  expect(o.tls!.clientCertPair!.crt.toString()).toContain('client.pem');
  expect(o.tls!.serverRootCACertificate!.toString()).toContain('ca.pem');
  expect(temporalConnectionOptions('127.0.0.1:7233', loadConfig({}).temporalSecurity)).toEqual({
    address: '127.0.0.1:7233',
  });
  expect(() => loadConfig({ TEMPORAL_TLS_CERT: path.join(dir, 'client.pem') })).toThrow(
    'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together',
  );
  expect(() => loadConfig({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') })).toThrow('TEMPORAL_TLS_CA');
});

test('issue 16: Prometheus scrapes the web app (with METRICS_TOKEN) and the worker; Grafana shows the warnflow dashboard, both only with the ops profile', () => {
  const prom = compose.services.prometheus as Service & { configs?: { source: string; target: string }[] };
  const grafana = compose.services.grafana as Service & { volumes?: string[] };
  expect(prom.profiles).toEqual(['ops']);
  expect(grafana.profiles).toEqual(['ops']);
  // Prometheus is not published; Grafana only on the host's loopback (an SSH tunnel reaches it).
  expect(prom.ports).toBeUndefined();
  expect(grafana.ports).toEqual(['127.0.0.1:3001:3000']);
  expect(prom.networks).toContain('backend');
  // The token the web app checks is the one Prometheus sends.
  expect(compose.services.web.environment!.METRICS_TOKEN).toBe('${METRICS_TOKEN:-}');
  expect(prom.configs).toEqual([{ source: 'metrics_token', target: '/etc/prometheus/metrics-token' }]);
  expect(text).toMatch(/metrics_token:\n\s+content: \$\{METRICS_TOKEN:-\}/);
  expect(compose.services.worker.environment!.WARNFLOW_WORKER_METRICS_PORT).toBe('9464');

  const scrape = yaml.load(fs.readFileSync(path.join(paths.root, 'ops', 'prometheus', 'prometheus.yml'), 'utf8')) as {
    scrape_configs: {
      job_name: string;
      static_configs: { targets: string[] }[];
      authorization?: { credentials_file: string };
    }[];
  };
  const jobs = Object.fromEntries(scrape.scrape_configs.map((j) => [j.job_name, j]));
  expect(jobs['warnflow-web'].static_configs[0].targets).toEqual(['web:3000']);
  expect(jobs['warnflow-web'].authorization).toEqual({ credentials_file: '/etc/prometheus/metrics-token' });
  expect(jobs['warnflow-worker'].static_configs[0].targets).toEqual(['worker:9464']);

  // The dashboard is provisioned from the repository and queries the series the endpoints serve (metrics.test.ts).
  expect(grafana.volumes).toContain('./ops/grafana/warnflow.json:/var/lib/grafana/dashboards/warnflow.json:ro');
  const dashboard = JSON.parse(fs.readFileSync(path.join(paths.root, 'ops', 'grafana', 'warnflow.json'), 'utf8')) as {
    title: string;
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
  for (const series of [
    'warnflow_http_request_duration_seconds_bucket',
    'warnflow_readings_total',
    'warnflow_open_cases',
    'warnflow_overdue_tasks',
    'warnflow_deliveries_failed',
    'warnflow_store_documents',
    'warnflow_activity_failures',
    'temporal_workflow_task_schedule_to_start_latency_bucket',
    'temporal_worker_task_slots_used',
  ])
    expect(exprs).toContain(series);
});
