/** Every web service, built once from the app's dependencies. Routes receive what they need from here. */
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { AppSettings } from './app';
import type { Mailer } from '../lib/mailer';
import type { Models } from '../models';
import { createAuditService } from './access/audit';
import { createAuthService } from './access/auth';
import { createDemoCaseService } from './demo/service';
import { createHealthService } from './health/service';
import { createOutboxService } from './admin/outbox';
import { createReadingService } from './monitoring/readings';
import { createAlarmService } from './cases/alarms';
import { createPolicyService } from './admin/policies';
import { createWarningService } from './cases/warnings';
import { createCaseService } from './cases/cases';
import { createTaskService } from './tasks/service';
import { paths } from '../config';
import { createSessionService } from './access/session';
import { createLoginGuard } from './access/loginGuard';
import { createDeviceSettingsService } from './monitoring/deviceSettings';
import { createPortalService } from './tasks/inbox';
import { createSpotCheckService } from './monitoring/spotCheck';
import { createDashboardService } from './monitoring/dashboard';
import { createUploadService } from './portal/uploads';
import { createPortalFormService } from './portal/cleaning';
import { createAdminListService } from './masterData/lists';
import { createPortalKeyService } from './portal/keys';
import { createPortalConfigService } from './portal/config';
import { createMasterDataAdminService } from './masterData/service';
import { createReportRulesService } from './reports/rules';
import { createReportService } from './reports/service';
import { createAdminMasterDataService } from './masterData/pages';
import { createAdminPolicyService } from './admin/policyPages';
import { createCleaningComplianceService } from './portal/cleaningCompliance';
import { createAdminReportService } from './reports/pages';
import { createNotificationService } from './notifications/service';
import { createDocumentService } from './cases/documents';
import { createEnforcementService } from './cases/enforcement';

export interface ServiceDeps {
  config: AppSettings;
  temporal: Client;
  db: Connection;
  models: Models;
  mailer: Mailer;
}

export function createServices(deps: ServiceDeps) {
  const { config, temporal, models } = deps;
  const monitoring = monitoringServices(deps);
  return {
    health: createHealthService({ temporalAddress: config.temporalAddress, db: deps.db, mailer: deps.mailer }),
    auth: createAuthService({ models }),
    audit: createAuditService({ models }),
    demo: createDemoCaseService({ temporal, models, taskQueue: config.taskQueue, publicUrl: config.publicUrl, audit: createAuditService({ models }) }),
    outbox: createOutboxService({ models, mailboxDir: config.mailboxDir }),
    masterData: createMasterDataAdminService({ models, audit: createAuditService({ models }), allowPrivateWebhooks: config.allowPrivateWebhooks }),
    ...monitoring,
    ...peopleServices(deps, monitoring.readings.deviceChanged),
    ...warningServices(deps, monitoring.alarms, monitoring.readings.deviceChanged),
    reportRules: createReportRulesService({ models, audit: createAuditService({ models }) }),
    reports: createReportService({ temporal, models, taskQueue: config.taskQueue, audit: createAuditService({ models }) }),
    ...adminServices(deps, monitoring.readings.deviceChanged),
    notifications: createNotificationService({ models, audit: createAuditService({ models }) }),
    ...enforcementServices(deps),
  };
}

/** Official documents to read and enforcement follow-ups (Interview, Penalty) to open. */
function enforcementServices(deps: ServiceDeps) {
  const { config, temporal, models } = deps;
  const audit = createAuditService({ models });
  return {
    documents: createDocumentService({ models, audit, portal: createPortalService({ models, audit }), dir: paths.documents }),
    enforcement: createEnforcementService({ temporal, models, taskQueue: config.taskQueue, audit }),
  };
}

/** Readings interface and alarm/suspension services; they share the alarm-policy cache. */
function monitoringServices(deps: ServiceDeps) {
  const { config, temporal, models } = deps;
  const readings = createReadingService({ models, db: deps.db, temporal, taskQueue: config.taskQueue, publicUrl: config.publicUrl });
  const alarms = createAlarmService({ temporal, models, taskQueue: config.taskQueue, audit: createAuditService({ models }), policyChanged: readings.policyChanged });
  return { readings, alarms };
}
/** The people's side (issue 6): sessions, inbox/portal reads, spot check, dashboard, uploads, portal forms. */
function peopleServices(deps: ServiceDeps, deviceChanged?: (deviceId: string) => void) {
  const { models } = deps;
  const audit = createAuditService({ models });
  const auth = createAuthService({ models });
  const loginGuard = createLoginGuard({ db: deps.db, models, auth, audit });
  return {
    loginGuard,
    sessions: createSessionService({ models, auth, audit, loginGuard }),
    portal: createPortalService({ models, audit }),
    spotCheck: createSpotCheckService({ models, audit }),
    dashboard: createDashboardService({ models }),
    uploads: createUploadService({ models, dir: paths.uploads }),
    portalForms: createPortalFormService({ models, audit }),
    adminLists: createAdminListService({ models }),
    portalKeys: createPortalKeyService({ models, audit }),
    cleaningCompliance: createCleaningComplianceService({ models }),
    portalConfig: createPortalConfigService({ models, audit, masterData: createMasterDataAdminService({ models, audit }), deviceChanged, deviceSettings: createDeviceSettingsService({ models, audit, deviceChanged }) }),
  };
}
/** Risk warnings on the legal clock (issue 5): escalation policy, warnings, cases, tasks. */
function warningServices(deps: ServiceDeps, alarms: ReturnType<typeof createAlarmService>, deviceChanged?: (deviceId: string) => void) {
  const { config, temporal, models } = deps;
  const audit = createAuditService({ models });
  const deviceSettings = createDeviceSettingsService({ models, audit, deviceChanged });
  const policies = createPolicyService({ models, audit });
  return {
    policies,
    warnings: createWarningService({ temporal, models, taskQueue: config.taskQueue, audit, policies, publicUrl: config.publicUrl }),
    cases: createCaseService({ temporal, models, audit, policies, uploads: createUploadService({ models, dir: paths.uploads }) }),
    /** Also the pages' TaskCompleter (web/app.ts picks it up once registered). */
    tasks: createTaskService({ temporal, models, audit, alarms, uploads: createUploadService({ models, dir: paths.uploads }), deviceSettings }),
  };
}
/** The administrator's pages (issue 6): master-data forms, policy versions, report runs — over the services the API uses. */
function adminServices(deps: ServiceDeps, deviceChanged?: (deviceId: string) => void) {
  const { config, temporal, models } = deps;
  const audit = createAuditService({ models });
  return {
    adminMasterData: createAdminMasterDataService({ models, audit, masterData: createMasterDataAdminService({ models, audit, allowPrivateWebhooks: deps.config.allowPrivateWebhooks }), deviceChanged }),
    adminPolicies: createAdminPolicyService({ models, policies: createPolicyService({ models, audit }), reportRules: createReportRulesService({ models, audit }) }),
    adminReports: createAdminReportService({ reports: createReportService({ temporal, models, taskQueue: config.taskQueue, audit }) }),
  };
}
export type Services = ReturnType<typeof createServices>;
