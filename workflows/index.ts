// The worker's workflow bundle: every case workflow is re-exported here.
export * from './demoCase';
export * from './monitoringAlarm';
export * from './deviceFault';
export * from './deviceOffline';
export * from './suspensionRequest';
export * from './riskWarning';
export * from './onSiteSupervision';
export * from './emergencyResponse';
export * from './report';
export * from './interview';
export * from './penalty';
export * from './permit';
export * from './publicNotice';
export * from './enforcementInspection';
export * from './riskRecompute';
