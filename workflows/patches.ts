/**
 * Every patch id the workflows pass to patched() / deprecatePatch(), in one place: a history records these
 * strings as markers, so an id is never renamed or reused. Why each exists, when it was added, the replay
 * fixture that runs its old branch and when it can be retired: workflows/PATCHES.md.
 */
export const PATCHES = {
  riskWarning: {
    inAppNotifications: 'in-app-notifications',
    agencyWebhook: 'agency-webhook',
    policyMigration: 'policy-migration',
    feedbackClosesEnterpriseTracking: 'feedback-closes-enterprise-tracking',
    raiseAfterClear: 'raise-after-clear',
    localBookkeeping: 'local-bookkeeping',
    noticesUntilDowngraded: 'notices-until-downgraded',
    deliveriesNeverStall: 'deliveries-never-stall',
    municipalFeed: 'municipal-feed',
    emergencyResponseCase: 'emergency-response-case',
  },
  monitoringAlarm: {
    alarmMailFirst: 'alarm-mail-first',
    overduePenaltyProposal: 'alarm-overdue-penalty-proposal',
  },
  deviceFault: {
    suspensionCoversRepair: 'fault-suspension-covers-repair',
  },
  deviceOffline: {
    interviewWorkflow: 'interview-workflow',
    suspensionCloses: 'offline-suspension-closes',
    publicNotice: 'offline-public-notice',
  },
  offlineSweeper: {
    offlinePolicyData: 'offline-policy-data',
  },
  suspensionRequest: {
    byDistrictBureau: 'suspension-by-district-bureau',
  },
  onSiteSupervision: {
    officialDocuments: 'official-documents',
  },
  reportRun: {
    figuresStored: 'report-figures-stored',
    followUpCases: 'report-follow-up-cases',
    followUpsBatched: 'report-follow-ups-batched',
  },
} as const;
