/**
 * What the alarm workflow tests with recording fakes share (monitoring.test.ts, breaches.test.ts): the dust enterprise
 * of the fakes, the alarm they raise, and a worker of the real workflows on the time-skipping server.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { workflowsBundle } from './timeSkipping';
import type { EnterpriseContext } from '../../activities/monitoring';
import { DEFAULT_ALARM_POLICY } from '../../domain/alarms';

/** The enterprise, its zone and its district agencies (a file adds the municipal bureau where its cases need it). */
export const dustEnterpriseContext: EnterpriseContext = {
  enterpriseId: 'ent-1',
  enterpriseName: '示例粉尘企业',
  regionPath: ['city', 'district-a', 'zone-1'],
  industry: 'dust_explosion',
  emails: ['safety@ent1.example'],
  agencies: {
    zone_safety_dept: { id: 'zone-1-safety', name: '功能区安全部', emails: ['zone@gov.example'] },
    district_industry_regulator: { id: 'district-a-dust', name: '区行业监管', emails: ['industry@gov.example'] },
    district_emergency_bureau: { id: 'district-a-emergency', name: '区应急局', emails: ['emergency@gov.example'] },
  },
};

/** The monitoring alarm's input: differential pressure of device DEV-1 (a test names its own device). */
export const alarmInput = {
  deviceCode: 'DEV-1',
  indicator: 'dp',
  indicatorName: '压差',
  unit: 'Pa',
  enterpriseId: 'ent-1',
  policy: DEFAULT_ALARM_POLICY,
};
/** A high breach of the 1000 Pa threshold. */
export const breach = { value: 1200, ts: '2026-01-01T00:00:00Z', breach: 'high' as const, threshold: 1000 };

/** A worker of the real workflows with the given (fake) activities, on a task queue of its own. */
export async function workflowWorker(env: TestWorkflowEnvironment, taskQueue: string, activities: object) {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowsBundle(),
    activities,
  });
}
