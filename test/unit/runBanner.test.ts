/** Issue 16: `npm start` says where the web app, the metrics (web and worker) and the API reference are. */
import { loadConfig } from '../../config';
import { runBanner } from '../../scripts/runBanner';

const services = { temporalUiUrl: 'http://127.0.0.1:8233', describe: ['MongoDB: embedded'] };

test('the ready banner names the metrics of the web app and the worker, and the API reference', () => {
  const text = runBanner(loadConfig({}), services, 12.34).join('\n');
  expect(text).toContain('warnflow is running (ready in 12.3 s)');
  expect(text).toContain('  web app        http://127.0.0.1:3000');
  expect(text).toContain('  API reference  http://127.0.0.1:3000/api/v1/reference');
  expect(text).toContain(
    '  Metrics        http://127.0.0.1:3000/metrics (web; loopback only, or METRICS_TOKEN) · http://127.0.0.1:9464/metrics (worker)',
  );
  expect(text).toContain('  Temporal UI    http://127.0.0.1:8233');
});

test('without the worker exporter (WARNFLOW_WORKER_METRICS_PORT=0) only the web app is named', () => {
  const text = runBanner(
    loadConfig({ WARNFLOW_WORKER_METRICS_PORT: '0', METRICS_TOKEN: 'a-long-enough-token-1' }),
    services,
    1,
  ).join('\n');
  expect(text).toContain('  Metrics        http://127.0.0.1:3000/metrics (web; bearer METRICS_TOKEN)');
  expect(text).not.toContain('9464');
});
