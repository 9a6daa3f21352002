/**
 * Temporal's connection settings, read by the SDK's own configuration package (@temporalio/envconfig) so that a
 * managed or self-hosted cluster works without code changes: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH|_DATA, TEMPORAL_TLS_CLIENT_KEY_PATH|_DATA,
 * TEMPORAL_TLS_SERVER_CA_CERT_PATH|_DATA, TEMPORAL_TLS_SERVER_NAME, TEMPORAL_GRPC_META_<header>, and a
 * profile of a TOML file (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE). The environment wins over the profile
 * (TEMPORAL_ADDRESS above all). warnflow's earlier names TEMPORAL_TLS_CERT / _KEY / _CA stand for the
 * SDK's *_PATH ones. The default profile file (~/.config/temporalio/temporal.toml) is read only when
 * TEMPORAL_PROFILE names a profile: a developer's own file must not redirect warnflow silently.
 */
import fs from 'node:fs';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';

/** What a connection needs beyond its address: TLS (files read when connecting), API key, gRPC metadata. */
export type TemporalSecurity = Pick<ClientConfigProfile, 'apiKey' | 'tls' | 'grpcMeta'>;

export interface TemporalSettings {
  /** Undefined when neither the environment nor a profile names one (the embedded dev server then). */
  address?: string;
  namespace?: string;
  security: TemporalSecurity;
  /** Each bad setting, named. */
  problems: string[];
}

const LEGACY_NAMES = {
  TEMPORAL_TLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  TEMPORAL_TLS_CA: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
} as const;

export function temporalSettings(env: NodeJS.ProcessEnv): TemporalSettings {
  const problems: string[] = [];
  // Only what is set: docker compose writes an unset `${X:-}` as an empty string.
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string' && v.trim() !== '') vars[k] = v.trim();
  const named: Record<string, string> = {};
  for (const [old, sdk] of Object.entries(LEGACY_NAMES))
    if (vars[old] && !vars[sdk]) {
      vars[sdk] = vars[old];
      named[sdk] = old;
    }
  const nameOf = (sdk: string) => named[sdk] ?? sdk;
  for (const sdk of Object.values(LEGACY_NAMES))
    if (vars[sdk] && !fs.existsSync(vars[sdk]))
      problems.push(`${nameOf(sdk)}="${vars[sdk]}": no such file (a PEM file is expected)`);
  const cert = vars.TEMPORAL_TLS_CLIENT_CERT_PATH ?? vars.TEMPORAL_TLS_CLIENT_CERT_DATA;
  const key = vars.TEMPORAL_TLS_CLIENT_KEY_PATH ?? vars.TEMPORAL_TLS_CLIENT_KEY_DATA;
  if (!!cert !== !!key) {
    const legacy = !!(named.TEMPORAL_TLS_CLIENT_CERT_PATH || named.TEMPORAL_TLS_CLIENT_KEY_PATH);
    problems.push(
      legacy
        ? 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (the client certificate and its key)'
        : 'TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together (or their _DATA forms: the client certificate and its key)',
    );
  }
  let profile: ClientConfigProfile = {};
  try {
    profile = loadClientConfigProfile({
      overrideEnvVars: vars,
      disableFile: !vars.TEMPORAL_CONFIG_FILE && !vars.TEMPORAL_PROFILE,
    });
  } catch (err) {
    problems.push(`${vars.TEMPORAL_PROFILE ? 'TEMPORAL_PROFILE' : 'TEMPORAL_CONFIG_FILE'}: ${(err as Error).message}`);
  }
  const security: TemporalSecurity = {};
  if (profile.apiKey) security.apiKey = profile.apiKey;
  if (profile.tls) security.tls = profile.tls;
  if (profile.grpcMeta && Object.keys(profile.grpcMeta).length) security.grpcMeta = profile.grpcMeta;
  return { address: profile.address, namespace: profile.namespace, security, problems };
}

/** The Temporal server the environment names (TEMPORAL_ADDRESS, else the profile's), if any: the embedded launcher starts none then. */
export function configuredTemporalAddress(env: NodeJS.ProcessEnv): string | undefined {
  return temporalSettings(env).address;
}

/**
 * The options of Connection.connect / NativeConnection.connect, built by the SDK (toClientOptions): TLS when
 * configured or when an API key is given (an API key travels over TLS only, unless TEMPORAL_TLS=false).
 */
export function temporalConnectionOptions(address: string, security: TemporalSecurity = {}) {
  const { connectionOptions } = toClientOptions({ ...security, address });
  const { apiKey, metadata } = connectionOptions;
  const tls = asBuffers(connectionOptions.tls);
  return {
    address,
    ...(tls !== undefined ? { tls } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

type TlsOption = ReturnType<typeof toClientOptions>['connectionOptions']['tls'];

/** The SDK reads PEM data as Uint8Array; the connections (and Node's TLS) take Buffers. */
function asBuffers(tls: TlsOption): TlsOption {
  if (typeof tls !== 'object' || tls === null) return tls;
  const buf = (b: Uint8Array | undefined) => (b ? Buffer.from(b) : undefined);
  const pair = tls.clientCertPair;
  return {
    ...(tls.serverNameOverride ? { serverNameOverride: tls.serverNameOverride } : {}),
    ...(tls.serverRootCACertificate ? { serverRootCACertificate: buf(tls.serverRootCACertificate) } : {}),
    ...(pair ? { clientCertPair: { crt: Buffer.from(pair.crt), key: Buffer.from(pair.key) } } : {}),
  };
}
