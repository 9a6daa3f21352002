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
