/** What the risk recomputation is told: a trigger for one enterprise (see riskRecompute.ts). */
import { defineSignal } from '@temporalio/workflow';
import type { RecomputeTrigger } from '../domain/risk/distribution';

export interface RecomputeRequest {
  trigger: RecomputeTrigger;
}

/** An input of the enterprise changed (an alarm opened or closed, a source went offline, feedback given …). */
export const recomputeRiskSignal = defineSignal<[RecomputeRequest]>('recomputeRisk');

/** One recompute per enterprise at a time: triggers arriving while it runs are taken by it. */
export const riskRecomputeWorkflowId = (enterpriseId: string) => `risk-recompute/${enterpriseId}`;
export const RISK_RECOMPUTE_ALL_ID = 'risk-recompute-all';
