/**
 * JSON API, versioned, documented in web/api/v1/openapi.yaml. One router per area; refusals are
 * {error, field?} with the right 4xx (web/errors.ts). Areas that need a signed-in caller mount
 * after `bearerAuth`.
 */
import { Router } from 'express';
import path from 'node:path';
import { paths } from '../../../config';
import { HttpError } from '../../errors';
import { bearerAuth } from '../../access/auth';
import type { Services } from '../../composition';
import { authApi } from '../../access/api';
import { demoCasesApi } from '../../demo/api';
import { readingsApi } from '../../monitoring/api';
import { alarmsApi } from '../../cases/alarmsApi';
import { policiesApi } from '../../admin/api';
import { warningsApi } from '../../cases/warningsApi';
import { casesApi } from '../../cases/api';
import { tasksApi } from '../../tasks/api';
import { masterDataApi } from '../../masterData/api';
import { reportsApi } from '../../reports/api';
import { notificationsApi } from '../../notifications/api';
import { uploadsApi } from '../../portal/api';
import { documentsApi } from '../../cases/documentsApi';

export function apiV1(s: Services, opts: { demo: boolean } = { demo: false }): Router {
  const r = Router();
  r.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').sendFile(path.join(paths.root, 'web', 'api', 'v1', 'openapi.yaml'));
  });
  // Open: token issue. The demo (development only) checks its flag, then the bearer token.
  r.use(authApi(s));
  r.use(demoCasesApi(s, { enabled: opts.demo }));
  // Monitoring-data interface: its own per-enterprise data-interface key, not a user token.
  r.use(readingsApi(s));
  // Everything below needs a bearer token.
  r.use(bearerAuth(s.auth));
  r.use(alarmsApi(s));
  r.use(policiesApi(s));
  r.use(warningsApi(s));
  r.use(casesApi(s));
  r.use(tasksApi(s));
  r.use(masterDataApi(s));
  r.use(reportsApi(s));
  r.use(notificationsApi(s));
  r.use(uploadsApi(s));
  r.use(documentsApi(s));
  r.use((req, _res, next) => next(new HttpError(404, `nothing at ${req.method} /api/v1${req.path}`)));
  return r;
}
