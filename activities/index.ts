/** All activities, built from their real dependencies by the worker (or from fakes by unit tests). */
import type { Mailer } from '../lib/mailer';
import type { Models } from '../models';
import { createCaseRecordActivities } from './caseRecords';
import { createNotificationActivities, type MunicipalFeedConfig } from './notifications';
import { createMonitoringActivities } from './monitoring';
import { createDirectoryActivities } from './directory';
import { createDocumentActivities } from './documents';
import { createReportActivities } from './reports';
import { createEnforcementActivities } from './enforcement';
import { createPermitActivities } from './permits';
import { createRiskActivities, requestRiskRecompute } from './risk';

export interface ActivityDeps {
  models: Models;
  mailer: Mailer;
  mailFrom: string;
  /** Where official-document PDFs are written (default config paths.documents). */
  documentsDir?: string;
  /** The municipal system's real-time feed (config MUNICIPAL_FEED_URL / _SECRET); red warnings push nothing without it. */
  municipalFeed?: MunicipalFeedConfig;
  /** How long a robot or the municipal system may take to answer (default WEBHOOK_TIMEOUT_MS, 5 s). */
  webhookTimeoutMs?: number;
  /**
   * Case changes that are inputs of the risk model (an alarm or an offline source opened or closed, a warning's
   * feedback) start the enterprise's recompute (workflows/riskRecompute.ts). On in the worker; off for tests of
   * other workflows, whose enterprises would otherwise be raised warnings by the model while their time skips.
   */
  riskRecomputeOnCaseChange?: boolean;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCaseRecordActivities({
      CaseRecord: deps.models.CaseRecord,
      onCaseChange: deps.riskRecomputeOnCaseChange ? requestRiskRecompute : undefined,
    }),
    ...createNotificationActivities({
      mailer: deps.mailer,
      Delivery: deps.models.Delivery,
      mailFrom: deps.mailFrom,
      Notification: deps.models.Notification,
      Agency: deps.models.Agency,
      municipalFeed: deps.municipalFeed,
      webhookTimeoutMs: deps.webhookTimeoutMs,
    }),
    ...createMonitoringActivities(deps.models),
    ...createDirectoryActivities(deps.models),
    ...createDocumentActivities(deps.models, { documentsDir: deps.documentsDir }),
    ...createReportActivities(deps.models),
    ...createEnforcementActivities(deps.models),
    ...createPermitActivities(deps.models),
    ...createRiskActivities(deps.models),
  };
}
export type Activities = ReturnType<typeof createActivities>;
