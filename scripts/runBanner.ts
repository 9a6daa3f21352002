/** What `npm start` prints once everything is up: where each part is (scripts/run.ts). */
import type { AppConfig } from '../config';

export function runBanner(
  config: Pick<AppConfig, 'publicUrl' | 'simulator' | 'metricsToken' | 'workerMetricsPort' | 'bindAddress'>,
  services: { temporalUiUrl?: string; describe: string[] },
  readySeconds: number,
): string[] {
  const web = config.publicUrl.replace(/\/+$/, '');
  // The exporter listens on WARNFLOW_BIND; from this machine it is reached on loopback when bound to all.
  const workerHost = ['0.0.0.0', '::'].includes(config.bindAddress) ? '127.0.0.1' : config.bindAddress;
  const worker = config.workerMetricsPort ? ` · http://${workerHost}:${config.workerMetricsPort}/metrics (worker)` : '';
  const who = config.metricsToken ? 'bearer METRICS_TOKEN' : 'loopback only, or METRICS_TOKEN';
  return [
    '',
    `warnflow is running (ready in ${readySeconds.toFixed(1)} s)`,
    `  web app        ${web}`,
    `  API reference  ${web}/api/v1/reference`,
    `  Metrics        ${web}/metrics (web; ${who})${worker}`,
    services.temporalUiUrl ? `  Temporal UI    ${services.temporalUiUrl}` : undefined,
    ...services.describe.map((d) => `  ${d}`),
    config.simulator
      ? '  Simulator      pushing demo readings every 60 s (WARNFLOW_SIMULATOR=off to stop it)'
      : undefined,
    '  Ctrl-C stops everything.',
    '',
  ].filter((l): l is string => l !== undefined);
}
