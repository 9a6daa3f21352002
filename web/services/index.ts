/** Every web service, built once from the app's dependencies. Routes receive what they need from here. */
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { AppSettings } from '../app';
import type { Mailer } from '../../lib/mailer';
import type { Models } from '../../models';
import { createAuditService } from './audit';
import { createAuthService } from './auth';
import { createDemoCaseService } from './demoCases';
import { createHealthService } from './health';
import { createOutboxService } from './outbox';
import { createReadingService } from './readings';
import { createAlarmService } from './alarms';
import { createPolicyService } from './policies';
import { createWarningService } from './warnings';
import { createCaseService } from './cases';
import { createTaskService } from './tasks';
import { paths } from '../../config';
import { createSessionService } from './session';
import { createLoginGuard } from './loginGuard';
import { createDeviceSettingsService } from './deviceSettings';
import { createPortalService } from './portal';
import { createSpotCheckService } from './spotCheck';
import { createDashboardService } from './dashboard';
import { createUploadService } from './uploads';
import { createPortalFormService } from './portalForms';
import { createAdminListService } from './portalAdmin';
import { createPortalKeyService } from './portalKeys';
import { createPortalConfigService } from './portalConfig';
import { createMasterDataAdminService } from './masterDataAdmin';
import { createReportRulesService } from './reportRules';
import { createReportService } from './reports';
import { createAdminMasterDataService } from './adminMasterData';
import { createAdminPolicyService } from './adminPolicies';
import { createCleaningComplianceService } from './cleaningCompliance';
import { createAdminReportService } from './adminReports';
import { createNotificationService } from './notifications';
import { createDocumentService } from './documents';
import { createEnforcementService } from './enforcement';

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
