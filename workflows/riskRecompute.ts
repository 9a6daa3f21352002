/**
 * The risk model's recomputation (domain/risk), in workflows so a web request never computes:
 * - `riskRecompute` (id `risk-recompute/<enterpriseId>`, signal-with-start of recomputeRiskSignal): recomputes one
 *   enterprise when an input changed; triggers arriving meanwhile are coalesced into the next computation. When the
 *   new level has not held for the damping time yet, it waits until it has and recomputes (`hold_elapsed`), so a
 *   jump moves the warning once it holds, without waiting for the schedule. Ends when nothing is left to do.
 * - `riskRecomputeAll` (started by the Temporal Schedule of worker/riskSchedule.ts): every enterprise, a page at a
 *   time, then the moves the computations asked for.
 * The activities store each computation and send the moves through the warning's own messages.
 */
import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RecomputeTrigger } from '../domain/risk/distribution';
import { caseStep } from './activityOptions';
import { recomputeRiskSignal } from './riskRecomputeMessages';

export * from './riskRecomputeMessages';

const a = proxyActivities<Activities>(caseStep('2 minutes'));

/** Computations per run before continuing as new (keeps the history short). */
const COMPUTATIONS_PER_RUN = 50;

export async function riskRecompute(input: {
  enterpriseId: string;
  pending?: RecomputeTrigger[];
  recheckAt?: string;
}): Promise<void> {
  const pending: RecomputeTrigger[] = [...(input.pending ?? [])];
  setHandler(recomputeRiskSignal, (r) => void pending.push(r.trigger));
  let recheckAt = input.recheckAt ? Date.parse(input.recheckAt) : undefined;
  for (let n = 0; n < COMPUTATIONS_PER_RUN; n++) {
    if (!pending.length) {
      // Nothing to wait for: done. A trigger arriving as this run completes makes the server hand it back to it.
      if (recheckAt === undefined) return;
      if (!(await condition(() => pending.length > 0, Math.max(recheckAt - Date.now(), 1))))
        pending.push('hold_elapsed');
    }
    const trigger = pending[0];
    pending.length = 0;
    const [decision] = await a.recomputeRisk({
      enterpriseIds: [input.enterpriseId],
      trigger,
      at: new Date().toISOString(),
    });
    if (!decision) return; // no such enterprise
    if (decision.move !== 'none') await a.moveRiskWarning(decision);
    recheckAt = decision.recheckAt ? Date.parse(decision.recheckAt) : undefined;
  }
  await continueAsNew<typeof riskRecompute>({
    enterpriseId: input.enterpriseId,
    pending,
    recheckAt: recheckAt === undefined ? undefined : new Date(recheckAt).toISOString(),
  });
}

/**
 * Enterprises per page of the scheduled recompute. Each page reads its projections with `$in` on the enterprise,
 * which the embedded database answers by scanning the collection: fewer, larger pages scan less (10,000 enterprises
 * took 197 s in pages of 200, see bench/riskRecompute.ts).
 */
export const RECOMPUTE_PAGE = 1000;
const PAGES_PER_RUN = 10;

/** Every enterprise's index (the schedule): pages by id; the moves the computations ask for go out page by page. */
export async function riskRecomputeAll(
  input: { after?: string; at?: string; computed?: number } = {},
): Promise<{ computed: number }> {
  // One instant for the whole run (the schedule's fire time, deterministic): every computation of it is keyed by it.
  const at = input.at ?? new Date().toISOString();
  let after = input.after;
  let computed = input.computed ?? 0;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const ids = await a.riskEnterprisePage({ after, limit: RECOMPUTE_PAGE });
    if (!ids.length) return { computed };
    const decisions = await a.recomputeRisk({ enterpriseIds: ids, trigger: 'schedule', at });
    for (const d of decisions) if (d.move !== 'none') await a.moveRiskWarning(d);
    computed += decisions.length;
    after = ids[ids.length - 1];
  }
  return continueAsNew<typeof riskRecomputeAll>({ after, at, computed });
}
