/** The Express app, composed from its services. Routes stay thin; services own behaviour. */
import type { Client } from '@temporalio/client';
import express, { Express } from 'express';
import helmet from 'helmet';
import { engine } from 'express-handlebars';
import type { Connection } from 'mongoose';
import path from 'node:path';
import { AppConfig, paths } from '../config';
import type { Logger } from '../lib/log';
import type { Mailer } from '../lib/mailer';
import type { Models } from '../models';
import { apiV1 } from './api/v1';
import { errorHandler, HttpError } from './errors';
import { helpers } from './helpers';
import { languageMiddleware } from './i18n';
import { demoRoutes } from './demo/routes';
import { healthRoutes } from './health/routes';
import { metricsRoutes } from './metrics/routes';
import { exportRoutes } from './exports/routes';
import { homeRoutes } from './home';
import { outboxRoutes } from './admin/outboxRoutes';
import { csrfMiddleware, sessionMiddleware } from './middleware/session';
import { sessionRoutes } from './access/routes';
import { taskRoutes } from './tasks/routes';
import { caseRoutes } from './cases/routes';
import { monitoringRoutes } from './monitoring/routes';
import { portalRoutes } from './portal/routes';
import { portalConfigRoutes } from './portal/configRoutes';
import { adminRoutes } from './admin/routes';
import { notificationRoutes, unreadNotificationsBadge } from './notifications/routes';
import { permitRoutes } from './permits/routes';
import { riskRoutes } from './risk/routes';
import { keyTargetRoutes } from './reports/keyTargetPages';
import { createServices } from './composition';

/** What the app reads from the configuration; the security settings default to production's (demo off). */
export type AppSettings = Pick<AppConfig, 'taskQueue' | 'publicUrl' | 'mailboxDir' | 'temporalAddress'> &
  Partial<Pick<AppConfig, 'demo' | 'trustedProxies' | 'allowPrivateWebhooks' | 'metricsToken' | 'mqtt'>>;

export interface AppDeps {
  config: AppSettings;
  temporal: Client;
  db: Connection;
  models: Models;
  mailer: Mailer;
  log: Logger;
  temporalUiUrl?: string;
}

/** How often expired sessions and login counts are deleted (the embedded store does not expire TTL indexes). */
export const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Releases what the app's services hold (e.g. the health probe's connection, the sweeper); call after server.close(). */
export async function closeApp(app: Express): Promise<void> {
  clearInterval(app.locals.sweeper as NodeJS.Timeout | undefined);
  await (app.locals.services as ReturnType<typeof createServices> | undefined)?.health.close();
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Proxy headers (client address, https) only from the configured proxies (WARNFLOW_TRUSTED_PROXIES).
  app.set('trust proxy', deps.config.trustedProxies?.length ? deps.config.trustedProxies : false);

  const renderView = engine({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(paths.templates, 'layouts'),
    partialsDir: path.join(paths.templates, 'partials'),
    helpers,
  });
  // Express hands the engine a callback; the promise it also returns settles through that callback.
  app.engine('hbs', (file, options, done) => void renderView(file, options, done));
  app.set('view engine', 'hbs');
  app.set('views', paths.templates);

  const services = createServices(deps);
  const { health, demo, outbox } = services;
  app.locals.services = services;
  app.locals.sweeper = setInterval(() => {
    Promise.all([services.sessions.sweepExpired(), services.loginGuard.sweepExpired()]).catch((err) =>
      deps.log.warn('sweep of expired sessions failed', { err }),
    );
  }, SWEEP_INTERVAL_MS).unref();
  // Read by the nav: the demo link only with the development flag; the mailbox only with the embedded catcher.
  app.locals.demoEnabled = !!deps.config.demo;
  app.locals.hasMailbox = !!deps.config.mailboxDir;

  // Headers: a strict CSP (the pages use no script, no inline style), no framing, no sniffing, and
  // HSTS when the public URL is https (the TLS proxy in front; docker-compose.yml).
  const https = deps.config.publicUrl.startsWith('https:');
  app.locals.secureCookies = https;
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: https ? { maxAge: 365 * 86400, includeSubDomains: true } : false,
    }),
  );
  app.use((req, res, next) => {
    const started = Date.now();
    res.on('finish', () =>
      deps.log.info('http', { method: req.method, path: req.path, status: res.statusCode, ms: Date.now() - started }),
    );
    next();
  });
  app.use(services.metrics.timeRequests);
  app.use('/static', express.static(path.join(paths.root, 'web', 'public'), { maxAge: '1h' }));
  app.use(express.json({ limit: '2mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(languageMiddleware);
  // Pages: server-side session (principal, CSRF token), then the CSRF check on every non-GET page request.
  app.use(sessionMiddleware(services.sessions));
  app.use(csrfMiddleware);
  app.use(unreadNotificationsBadge(services.notifications));

  app.use(healthRoutes(health));
  app.use(metricsRoutes(services.metrics, { token: deps.config.metricsToken }));
  app.use('/api/v1', apiV1(services, { demo: !!deps.config.demo }));
  // Signed in: the home page is the role's landing page.
  app.get('/', (req, res, next) =>
    req.principal ? res.redirect(303, req.principal.role === 'enterprise' ? '/portal' : '/inbox') : next(),
  );
  app.use(homeRoutes({ health, temporalUiUrl: deps.temporalUiUrl }));
  app.use(demoRoutes(demo, { enabled: !!deps.config.demo }));
  app.use(outboxRoutes(outbox));
  app.use(sessionRoutes(services.sessions));
  app.use(taskRoutes({ portal: services.portal, tasks: services.tasks, cases: services.cases }));
  app.use(
    caseRoutes({
      portal: services.portal,
      cases: services.cases,
      documents: services.documents,
      enforcement: services.enforcement,
      permits: services.permits,
      workflows: services.caseWorkflows,
    }),
  );
  app.use(monitoringRoutes({ spotCheck: services.spotCheck, dashboard: services.dashboard }));
  app.use(
    portalRoutes({
      portal: services.portal,
      portalForms: services.portalForms,
      uploads: services.uploads,
      alarms: services.alarms,
      portalKeys: services.portalKeys,
      documents: services.documents,
      cleaningCompliance: services.cleaningCompliance,
    }),
  );
  app.use(portalConfigRoutes({ portalConfig: services.portalConfig }));
  app.use(notificationRoutes(services.notifications));
  app.use(permitRoutes({ permits: services.permits }));
  app.use(riskRoutes({ risk: services.risk }));
  app.use(keyTargetRoutes({ keyTargets: services.keyTargets }));
  app.use(exportRoutes(services.exports));
  app.use(
    adminRoutes({
      audit: services.audit,
      outbox,
      adminLists: services.adminLists,
      adminMasterData: services.adminMasterData,
      adminPolicies: services.adminPolicies,
      adminReports: services.adminReports,
    }),
  );

  app.use((req, _res, next) => next(new HttpError(404, `nothing at ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log));
  return app;
}
