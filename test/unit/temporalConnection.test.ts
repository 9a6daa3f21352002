/**
 * Issue 16: Temporal's connection settings (address, namespace, TLS, API key, gRPC metadata, a profile file) are
 * read from the environment by the SDK's own configuration package (@temporalio/envconfig), for web, worker and
 * the embedded launcher alike; TEMPORAL_ADDRESS wins over a profile, and warnflow's earlier names still work.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, temporalConnectionOptions } from '../../config';
import { configuredTemporalAddress } from '../../config/temporal';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-envconfig-'));
const file = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
const cert = file('client.pem', '-----BEGIN CERTIFICATE-----\nclient\n');
const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nkey\n');
const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nca\n');
const toml = file(
  'temporal.toml',
  [
    '[profile.cloud]',
    'address = "prod.a1b2c.tmprl.cloud:7233"',
    'namespace = "prod.a1b2c"',
    'api_key = "key-from-file"',
    '',
    '[profile.cloud.grpc_meta]',
    'x-tenant = "city"',
  ].join('\n'),
);
// A developer's own default profile file must not redirect warnflow unless asked for.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-home-'));
fs.mkdirSync(path.join(home, '.config', 'temporalio'), { recursive: true });
fs.writeFileSync(
  path.join(home, '.config', 'temporalio', 'temporal.toml'),
  '[profile.default]\naddress = "elsewhere.example:7233"\n',
);

const optionsOf = (env: NodeJS.ProcessEnv) => {
  const c = loadConfig(env);
  return { config: c, options: temporalConnectionOptions(c.temporalAddress, c.temporalSecurity) };
};

test('nothing set: the embedded dev server on loopback, plain gRPC, namespace default (the default profile file is not read)', () => {
  const { config, options } = optionsOf({ HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') });
  expect(config.temporalAddress).toBe('127.0.0.1:7233');
  expect(config.temporalNamespace).toBe('default');
  expect(options).toEqual({ address: '127.0.0.1:7233' });
  expect(configuredTemporalAddress({ HOME: home })).toBeUndefined();
});

test("the SDK's own variables: client certificate and key, the server's CA, server name, API key, namespace, gRPC metadata", () => {
  const { config, options } = optionsOf({
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    TEMPORAL_NAMESPACE: 'warnflow-prod',
    TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: key,
    TEMPORAL_TLS_SERVER_CA_CERT_DATA: '-----BEGIN CERTIFICATE-----\ninline-ca\n',
    TEMPORAL_TLS_SERVER_NAME: 'temporal.example.gov.cn',
    TEMPORAL_API_KEY: 'key-123',
    TEMPORAL_GRPC_META_X_TENANT: 'city',
  });
  expect(config.temporalNamespace).toBe('warnflow-prod');
  const o = options as {
    address: string;
    apiKey?: string;
    metadata?: Record<string, string>;
    tls: { clientCertPair: { crt: Buffer; key: Buffer }; serverRootCACertificate: Buffer; serverNameOverride: string };
  };
  expect(o.address).toBe('temporal.internal:7233');
  expect(o.apiKey).toBe('key-123');
  expect(o.metadata).toEqual({ 'x-tenant': 'city' });
  expect(o.tls.clientCertPair.crt.toString()).toContain('client');
  expect(o.tls.clientCertPair.key.toString()).toContain('PRIVATE KEY');
  expect(o.tls.serverRootCACertificate.toString()).toContain('inline-ca');
  expect(o.tls.serverNameOverride).toBe('temporal.example.gov.cn');
});

test('an API key alone turns TLS on; TEMPORAL_TLS=false turns it off; empty variables (compose defaults) count as unset', () => {
  expect(optionsOf({ TEMPORAL_API_KEY: 'k' }).options).toMatchObject({ apiKey: 'k', tls: true });
  expect(optionsOf({ TEMPORAL_TLS: 'true' }).options).toMatchObject({ tls: {} });
  expect(optionsOf({ TEMPORAL_API_KEY: '', TEMPORAL_TLS_CERT: '', TEMPORAL_NAMESPACE: '' }).options).toEqual({
    address: '127.0.0.1:7233',
  });
});

test('a profile file (TEMPORAL_CONFIG_FILE + TEMPORAL_PROFILE) gives address, namespace and key; TEMPORAL_ADDRESS still wins', () => {
  const fromFile = optionsOf({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' });
  expect(fromFile.config.temporalAddress).toBe('prod.a1b2c.tmprl.cloud:7233');
  expect(fromFile.config.temporalNamespace).toBe('prod.a1b2c');
  expect(fromFile.options).toMatchObject({ apiKey: 'key-from-file', tls: true, metadata: { 'x-tenant': 'city' } });
  expect(configuredTemporalAddress({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' })).toBe(
    'prod.a1b2c.tmprl.cloud:7233',
  );
  const env = { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud', TEMPORAL_ADDRESS: '10.0.0.5:7233' };
  expect(optionsOf(env).config.temporalAddress).toBe('10.0.0.5:7233');
  expect(configuredTemporalAddress(env)).toBe('10.0.0.5:7233');
});

test("warnflow's earlier names (TEMPORAL_TLS_CERT / _KEY / _CA) still work, and bad settings are named", () => {
  const { options } = optionsOf({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca });
  expect(options).toMatchObject({ tls: { clientCertPair: { crt: fs.readFileSync(cert), key: fs.readFileSync(key) } } });
  expect(() => loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert })).toThrow(
    'TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together',
  );
  expect(() => loadConfig({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'missing.pem') })).toThrow(
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  );
  expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'nope' })).toThrow(ConfigError);
  expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'nope' })).toThrow(
    "TEMPORAL_PROFILE: Profile 'nope' not found",
  );
});
