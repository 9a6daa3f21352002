/**
 * GET /metrics (Prometheus text format). Who may read it: with METRICS_TOKEN set, whoever presents it as a
 * bearer token (Prometheus' `authorization` setting; ops/prometheus/prometheus.yml); without it, only a
 * caller on this machine's loopback that no proxy forwarded (`req.ip` believes proxy headers only from
 * WARNFLOW_TRUSTED_PROXIES, and a forwarded request names its client in X-Forwarded-For) — the figures tell
 * outsiders how much work the regulators have, so they are not public.
 */
import { Router, type Request } from 'express';
import crypto from 'node:crypto';
import { HttpError } from '../errors';
import type { MetricsService } from './service';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(h(a), h(b));
}

/** Throws the refusal when the caller may not read the metrics. */
export function checkMetricsReader(req: Request, token: string | undefined): void {
  if (token) {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m || !sameSecret(m[1], token))
      throw new HttpError(401, 'a bearer token is required to read /metrics (METRICS_TOKEN)', 'authorization', {
        'WWW-Authenticate': 'Bearer',
      });
    return;
  }
  if (!LOOPBACK.test(req.ip ?? '') || req.headers['x-forwarded-for'] !== undefined)
    throw new HttpError(
      403,
      '/metrics answers loopback callers only; set METRICS_TOKEN to let a Prometheus elsewhere read it with that bearer token',
    );
}

export function metricsRoutes(metrics: MetricsService, opts: { token?: string }): Router {
  const r = Router();
  r.get('/metrics', async (req, res) => {
    checkMetricsReader(req, opts.token);
    res.type(metrics.contentType).send(await metrics.text());
  });
  return r;
}
