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
import { createMetricsService } from './metrics/service';
import { createExportService } from './exports/service';
import { createCaseWorkflowService } from './cases/workflowStatus';
import { ensureOfflineSweepSchedule } from '../worker/offlineSweepSchedule';
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
import { createDataKeyService } from './access/dataKeys';
import { createBrokerAuthSync } from './monitoring/mqtt';
import { createDeviceSettingsService } from './monitoring/deviceSettings';
import { createPortalService } from './tasks/inbox';
import { createSpotCheckService } from './monitoring/spotCheck';
import { createDashboardService } from './monitoring/dashboard';
import { createUploadService } from './portal/uploads';
import { createPortalFormService } from './portal/cleaning';
import { createAdminListService } from './masterData/lists';
import { createPortalKeyService } from './portal/keys';
import { createPortalConfigService } from './portal/config';
import { createMasterDataService } from './masterData/service';
import { createReportRulesService } from './reports/rules';
import { createReportService } from './reports/service';
import { createKeyTargetService } from './reports/keyTargets';
import { createAdminMasterDataService } from './masterData/pages';
import { createAdminPolicyService } from './admin/policyPages';
import { createCleaningComplianceService } from './portal/cleaningCompliance';
import { createAdminReportService } from './reports/pages';
import { createNotificationService } from './notifications/service';
import { createDocumentService } from './cases/documents';
import { createEnforcementService } from './cases/enforcement';
import { createPermitService } from './permits/service';
import { createRiskService } from './risk/service';

export interface ServiceDeps {
  config: AppSettings;
  temporal: Client;
  db: Connection;
  models: Models;
  mailer: Mailer;
  /** Temporal's UI (WARNFLOW_TEMPORAL_UI_URL): case pages link their workflow there. */
  temporalUiUrl?: string;
}

/**
 * Each service once, in dependency order: one audit trail, one upload store, one policy service, and the
 * readings interface's device cache told of every device change (admin pages, portal, settings review).
 */
export function createServices(deps: ServiceDeps) {
  const { config, temporal, models, db } = deps;
  const taskQueue = config.taskQueue;
  // Access: who is calling, and what they did.
  const audit = createAuditService({ models });
  const auth = createAuthService({ models });
  const loginGuard = createLoginGuard({ db, models, auth, audit });
  const sessions = createSessionService({ models, auth, audit, loginGuard });
  // Monitoring: the readings interface first; its device and policy caches are told of changes.
  const metrics = createMetricsService({ models, db });
  const readings = createReadingService({
    models,
    db,
    temporal,
    taskQueue,
    publicUrl: config.publicUrl,
    tally: metrics.tallyReadings,
  });
  const deviceChanged = (deviceId: string) => readings.deviceChanged(deviceId);
  const deviceSettings = createDeviceSettingsService({ models, audit, deviceChanged });
  // Master data, and the enterprise's own files.
  // The MQTT broker's users follow the keys when warnflow keeps the broker's auth files (WARNFLOW_MQTT_AUTH_DIR).
  const mqtt = config.mqtt;
  const brokerAuthSync = mqtt?.authDir
    ? createBrokerAuthSync({ dir: mqtt.authDir, ingesterUrl: mqtt.url, users: () => dataKeys.brokerUsers() })
    : undefined;
  const dataKeys = createDataKeyService({ models, audit, keysChanged: brokerAuthSync });
  const masterData = createMasterDataService({
    models,
    audit,
    dataKeys,
    allowPrivateWebhooks: config.allowPrivateWebhooks,
    deviceChanged,
  });
  const uploads = createUploadService({ models, dir: paths.uploads });
  // Cases and their policies.
  const policies = createPolicyService({ models, audit });
  const alarms = createAlarmService({
    temporal,
    models,
    taskQueue,
    audit,
    policyChanged: () => readings.policyChanged(),
    offlinePolicyStored: (policy) => ensureOfflineSweepSchedule(temporal, taskQueue, policy),
  });
  const portal = createPortalService({ models, audit });
  const cases = createCaseService({ temporal, models, audit, policies, uploads });
  const reportRules = createReportRulesService({ models, audit });
  const reports = createReportService({ temporal, models, taskQueue, audit });
  const spotCheck = createSpotCheckService({ models, audit });
  return {
    metrics,
    health: createHealthService({ temporalAddress: config.temporalAddress, db, mailer: deps.mailer }),
    auth,
    audit,
    loginGuard,
    sessions,
    demo: createDemoCaseService({ temporal, models, taskQueue, publicUrl: config.publicUrl, audit }),
    outbox: createOutboxService({ models, mailboxDir: config.mailboxDir }),
    readings,
    brokerAuthSync,
    alarms,
    deviceSettings,
    spotCheck,
    dashboard: createDashboardService({ models }),
    masterData,
    adminLists: createAdminListService({ models }),
    adminMasterData: createAdminMasterDataService({ models, masterData }),
    uploads,
    portal,
    portalForms: createPortalFormService({ models, audit }),
    portalKeys: createPortalKeyService({ models, dataKeys }),
    portalConfig: createPortalConfigService({ models, audit, masterData, deviceChanged, deviceSettings }),
    cleaningCompliance: createCleaningComplianceService({ models }),
    policies,
    warnings: createWarningService({ temporal, models, taskQueue, audit, policies, publicUrl: config.publicUrl }),
    cases,
    tasks: createTaskService({ temporal, models, audit, alarms, uploads, deviceSettings }),
    documents: createDocumentService({ models, audit, portal, dir: paths.documents }),
    enforcement: createEnforcementService({ temporal, models, taskQueue, audit }),
    permits: createPermitService({ temporal, models, taskQueue, audit }),
    risk: createRiskService({ models, audit }),
    notifications: createNotificationService({ models, audit }),
    reportRules,
    reports,
    keyTargets: createKeyTargetService({ models, audit, temporal, taskQueue }),
    adminPolicies: createAdminPolicyService({
      models,
      policies,
      reportRules,
      offlineRules: alarms,
      alarmRules: alarms,
    }),
    adminReports: createAdminReportService({ reports }),
    exports: createExportService({ models, audit, portal, spotCheck, cases, reports }),
    caseWorkflows: createCaseWorkflowService({ temporal, temporalUiUrl: deps.temporalUiUrl }),
  };
}
export type Services = ReturnType<typeof createServices>;
