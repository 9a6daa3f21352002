/**
 * JSON API, versioned. Each area declares its operations with their zod schemas (./operations.ts) in its
 * own `api.ts`; this file mounts them and serves the OpenAPI document generated from those declarations
 * (`openapi.json`, and the same JSON as `openapi.yaml`, JSON being YAML) and its reference page.
 * Refusals are {error, field?} with the right 4xx (web/errors.ts). Areas that need a signed-in caller
 * mount after `bearerAuth`.
 */
import { Router } from 'express';
import { accessApi } from '../../access/api';
import { bearerAuth } from '../../access/auth';
import { policiesApi } from '../../admin/api';
import { casesApi } from '../../cases/api';
import type { Services } from '../../composition';
import { demoApi } from '../../demo/api';
import { HttpError } from '../../errors';
import { masterDataApi } from '../../masterData/api';
import { monitoringApi } from '../../monitoring/api';
import { notificationsApi } from '../../notifications/api';
import { portalApi } from '../../portal/api';
import { reportsApi } from '../../reports/api';
import { tasksApi } from '../../tasks/api';
import { permitsApi } from '../../permits/api';
import { riskApi } from '../../risk/api';
import { openApiDocument, referenceModel } from './openapi';

/** The document's own routes: not operations of the API. */
export const DOCUMENT_ROUTES = ['/openapi.json', '/openapi.yaml', '/reference'];

export function apiV1(s: Services, opts: { demo: boolean } = { demo: false }): Router {
  const r = Router();
  // Open: token issue. The demo (development only) checks its flag, then the bearer token.
  r.use(accessApi(s));
  r.use(demoApi(s, { enabled: opts.demo }));
  // Monitoring-data interface: its own per-enterprise data-interface key, not a user token.
  r.use(monitoringApi(s));
  // The document, generated once every router above and below is declared.
  let document: ReturnType<typeof openApiDocument> | undefined;
  const doc = () => (document ??= openApiDocument());
  r.get('/openapi.json', (_req, res) => void res.json(doc()));
  r.get('/openapi.yaml', (_req, res) => void res.type('application/yaml').send(JSON.stringify(doc(), null, 2)));
  r.get('/reference', (_req, res) => res.render('pages/api/reference', referenceModel(doc())));
  // Everything below needs a bearer token.
  r.use(bearerAuth(s.auth));
  r.use(casesApi(s));
  r.use(policiesApi(s));
  r.use(tasksApi(s));
  r.use(masterDataApi(s));
  r.use(reportsApi(s));
  r.use(notificationsApi(s));
  r.use(portalApi(s));
  r.use(permitsApi(s));
  r.use(riskApi(s));
  r.use((req, _res, next) => next(new HttpError(404, `nothing at ${req.method} /api/v1${req.path}`)));
  return r;
}
