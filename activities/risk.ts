/**
 * The risk model's recomputation (domain/risk): gather each enterprise's inputs from the projections, compute its
 * index under the rules in force, store the computation (keyed by enterprise and instant: a retry stores one),
 * and decide the warning move with the damping from the stored history. The move reaches the enterprise's risk
 * warning only through the warning's own messages (raise by signal-with-start, level change and clear by
 * update), sent by `moveRiskWarning` as the risk model (RISK_MODEL_ACTOR). Called by workflows/riskRecompute.ts,
 * never by a web request; `requestRiskRecompute` is how a case change asks for one enterprise's recompute.
 */
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { caseIds } from '../domain/cases';
import { parseDuration } from '../domain/durations';
import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy } from '../domain/escalation';
import {
  DEFAULT_RISK_RULES,
  RISK_LEVEL_ZH,
  RISK_MODEL_ACTOR,
  computeRiskIndex,
  nextWarningMove,
  openWarningOf,
  riskInputsOf,
  type EnterpriseRows,
  type RecomputeTrigger,
  type RiskInputs,
  type RiskLevel,
  type RiskRules,
  type WarningMove,
} from '../domain/risk';
import type { Level } from '../domain/cases';
import type { Models } from '../models';
import type { CaseRecordDoc } from '../models/CaseRecord';
import { riskRulesInForce } from '../models/RiskRules';
import { riskComputationId, type RiskComputationDoc } from '../models/RiskComputation';
import { changeLevelUpdate, raiseWarningSignal } from '../workflows/riskWarningMessages';
import { recomputeRiskSignal, riskRecomputeWorkflowId } from '../workflows/riskRecomputeMessages';

export interface RecomputeRiskInput {
  enterpriseIds: string[];
  trigger: RecomputeTrigger;
  /** The computation's instant (the workflow's clock): with the enterprise, its key. */
  at: string;
}

/** What one computation asks of the warning. */
export interface RiskDecision {
  enterpriseId: string;
  computationId: string;
  score: number;
  level: RiskLevel;
  move: WarningMove;
  moveLevel?: Level;
  /** The open warning's case, for a downgrade or clear addressed to it. */
  caseId?: string;
  reason: string;
  /** The level has not held long enough yet: recompute at this instant to see whether it moves the warning. */
  recheckAt?: string;
}

/** The inputs of these enterprises at `nowMs` over the rules' window, read in a few queries for the whole page. */
export async function gatherRiskInputs(
  models: Models,
  enterpriseIds: readonly string[],
  nowMs: number,
  rules: Pick<RiskRules, 'window'>,
): Promise<Map<string, { inputs: RiskInputs; regionPath: string[]; industry: string }>> {
  const windowMs = parseDuration(rules.window);
  const from = new Date(nowMs - windowMs);
  const ids = [...enterpriseIds];
  const [enterprises, cases, liveness, plans, checkIns, permits] = await Promise.all([
    models.Enterprise.find(
      { _id: { $in: ids } },
      { industry: 1, dustType: 1, dustWorkers: 1, size: 1, inherentRisk: 1, regionPath: 1 },
    ).lean(),
    // Served by case_records {enterpriseId, openedAt}.
    models.CaseRecord.find(
      {
        enterpriseId: { $in: ids },
        $or: [{ status: 'open' }, { openedAt: { $gte: from } }, { closedAt: { $gte: from } }],
      },
      { enterpriseId: 1, type: 1, status: 1, openedAt: 1, closedAt: 1, nextDue: 1, 'timeline.kind': 1 },
    ).lean<
      Pick<
        CaseRecordDoc,
        '_id' | 'enterpriseId' | 'type' | 'status' | 'openedAt' | 'closedAt' | 'nextDue' | 'timeline'
      >[]
    >(),
    // Served by device_liveness {enterpriseId}.
    models.DeviceLiveness.find(
      { enterpriseId: { $in: ids } },
      { enterpriseId: 1, offline: 1, neverReported: 1, suspendedUntil: 1 },
    ).lean(),
    models.CleaningPlan.find({ _id: { $in: ids } }, { items: 1 }).lean(),
    // Served by cleaning_check_ins {enterpriseId, at}.
    models.CleaningCheckIn.find(
      { enterpriseId: { $in: ids }, at: { $gte: from } },
      { enterpriseId: 1, item: 1, at: 1 },
    ).lean(),
    // Served by permits {enterpriseId, appliedAt}.
    models.Permit.find(
      {
        enterpriseId: { $in: ids },
        status: { $in: ['expired', 'issued', 'in_progress', 'suspended', 'awaiting_acceptance'] },
      },
      { enterpriseId: 1, status: 1, validTo: 1 },
    ).lean(),
  ]);
  const by = <T extends { enterpriseId?: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows)
      if (r.enterpriseId) (m.get(r.enterpriseId) ?? m.set(r.enterpriseId, []).get(r.enterpriseId)!).push(r);
    return m;
  };
  const casesOf = by(cases);
  const livenessOf = by(liveness);
  const checkInsOf = by(checkIns);
  const permitsOf = by(permits);
  const planOf = new Map(plans.map((p) => [p._id, p.items]));
  const out = new Map<string, { inputs: RiskInputs; regionPath: string[]; industry: string }>();
  for (const e of enterprises) {
    const rows: EnterpriseRows = {
      enterprise: e,
      cases: (casesOf.get(e._id) ?? []).map((c) => ({
        type: c.type,
        status: c.status,
        openedAt: c.openedAt,
        closedAt: c.closedAt,
        nextDue: c.nextDue,
        kinds: (c.timeline ?? []).map((t) => t.kind),
      })),
      liveness: livenessOf.get(e._id) ?? [],
      cleaning: planOf.has(e._id) ? { items: planOf.get(e._id)!, checkIns: checkInsOf.get(e._id) ?? [] } : undefined,
      permits: permitsOf.get(e._id) ?? [],
    };
    out.set(e._id, { inputs: riskInputsOf(rows, nowMs, windowMs), regionPath: e.regionPath, industry: e.industry });
  }
  return out;
}

function clientOfActivity(): { client: Client; taskQueue: string } {
  const ctx = Context.current();
  return { client: ctx.client, taskQueue: ctx.info.taskQueue };
}

export function createRiskActivities(models: Models) {
  const rulesInForce = () => riskRulesInForce(models.RiskRules, DEFAULT_RISK_RULES);

  async function escalationInForce(): Promise<EscalationPolicy> {
    const doc = await models.EscalationPolicy.findOne({}, { updatedBy: 0, updatedAt: 0, _id: 0 })
      .sort({ _id: -1 })
      .lean();
    return doc ? { version: doc.version, levels: doc.levels } : DEFAULT_ESCALATION_POLICY;
  }

  return {
    /**
     * Computes and stores the index of each enterprise (a page of them) at `at` under the rules in force, and
     * decides each one's warning move. A retry stores the same computations again (upsert by key) and decides alike.
     */
    async recomputeRisk(input: RecomputeRiskInput): Promise<RiskDecision[]> {
      const nowMs = Date.parse(input.at);
      const rules = await rulesInForce();
      const holdMs = parseDuration(rules.damping.holdFor);
      const [gathered, previous, warnings] = await Promise.all([
        gatherRiskInputs(models, input.enterpriseIds, nowMs, rules),
        // Each enterprise's previous computation: the start of its level's run (the damping's `since`).
        models.RiskComputation.find(
          { latest: true, enterpriseId: { $in: input.enterpriseIds } },
          { enterpriseId: 1, at: 1, level: 1, levelSince: 1 },
        ).lean<Pick<RiskComputationDoc, 'enterpriseId' | 'at' | 'level' | 'levelSince'>[]>(),
        // Served by case_records {enterpriseId, openedAt}.
        models.CaseRecord.find(
          { enterpriseId: { $in: input.enterpriseIds }, type: 'risk_warning', status: 'open' },
          { enterpriseId: 1, level: 1, 'timeline.kind': 1, 'timeline.actor': 1 },
        ).lean<Pick<CaseRecordDoc, '_id' | 'enterpriseId' | 'level' | 'timeline'>[]>(),
      ]);
      const prevOf = new Map(previous.map((p) => [p.enterpriseId, p]));
      const warningOf = new Map(warnings.map((w) => [w.enterpriseId!, w]));
      const decisions: RiskDecision[] = [];
      const docs: RiskComputationDoc[] = [];
      for (const [enterpriseId, g] of gathered) {
        const index = computeRiskIndex(g.inputs, rules);
        const prev = prevOf.get(enterpriseId);
        const computationId = riskComputationId(enterpriseId, input.at);
        // A retry finds its own computation as the latest: its run started where that one's did.
        const sameRun = prev && prev.level === index.level && prev.at.getTime() <= nowMs;
        const levelSince = sameRun ? prev.levelSince : new Date(nowMs);
        const warning = warningOf.get(enterpriseId);
        const openWarning = openWarningOf(warning);
        const decided = nextWarningMove(
          {
            computations: [
              { at: levelSince.toISOString(), level: index.level },
              { at: input.at, level: index.level },
            ],
            openWarning,
          },
          rules,
          nowMs,
        );
        let move = decided.move;
        let reason = decided.reason.zh;
        // Back to normal clears the warning only after the enterprise's feedback (001 附件 二（一）2 回归正常范围).
        if (move === 'clear' && !warning?.timeline.some((t) => t.kind === 'feedback')) {
          move = 'none';
          reason = '风险回归正常范围，待企业反馈后消警';
        }
        const label = `风险指数${index.score}（${RISK_LEVEL_ZH[index.level]}）`;
        decisions.push({
          enterpriseId,
          computationId,
          score: index.score,
          level: index.level,
          move,
          moveLevel: decided.level,
          caseId: warning?._id,
          reason: `${label}：${reason}`,
          recheckAt:
            decided.current && !decided.current.held
              ? new Date(levelSince.getTime() + holdMs).toISOString()
              : undefined,
        });
        docs.push({
          _id: computationId,
          enterpriseId,
          regionPath: g.regionPath,
          industry: g.industry,
          at: new Date(nowMs),
          trigger: input.trigger,
          score: index.score,
          level: index.level,
          ruleGroup: index.ruleGroup,
          components: index.components,
          inputs: g.inputs,
          rulesVersion: index.rulesVersion,
          latest: true,
          levelSince,
          move,
          moveLevel: decided.level,
          moveReason: reason,
        });
      }
      if (docs.length) {
        await models.RiskComputation.bulkWrite(
          docs.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $setOnInsert: d }, upsert: true } })),
          { ordered: false },
        );
        // One latest per enterprise: the ones before this instant step down…
        const ids = docs.map((d) => d.enterpriseId);
        await models.RiskComputation.updateMany(
          { latest: true, enterpriseId: { $in: ids }, at: { $lt: new Date(nowMs) } },
          { $set: { latest: false } },
        );
        // …and this one does when a newer computation was stored meanwhile (a scheduled run beside a triggered one):
        // that one's step-down ran before this insert, so without this both stayed latest.
        const newer = await models.RiskComputation.distinct('enterpriseId', {
          enterpriseId: { $in: ids },
          at: { $gt: new Date(nowMs) },
        });
        if (newer.length)
          await models.RiskComputation.updateMany(
            { _id: { $in: docs.filter((d) => newer.includes(d.enterpriseId)).map((d) => d._id) } },
            { $set: { latest: false } },
          );
      }
      return decisions;
    },

    /**
     * Sends a decided move to the enterprise's risk warning through its own messages, as the risk model: a raise or
     * an upgrade by signal-with-start on `risk-warning/<enterpriseId>` (as a regulator's raise), a downgrade or a
     * clear by the level-change update addressed to the open case. A case closed meanwhile refuses: nothing to move.
     */
    async moveRiskWarning(d: RiskDecision): Promise<void> {
      const { client, taskQueue } = clientOfActivity();
      const workflowId = caseIds.riskWarning(d.enterpriseId);
      if ((d.move === 'raise' || d.move === 'upgrade') && d.moveLevel) {
        const policy = await escalationInForce();
        await client.workflow.signalWithStart('riskWarning', {
          taskQueue,
          workflowId,
          args: [{ enterpriseId: d.enterpriseId, policy }],
          signal: raiseWarningSignal,
          signalArgs: [{ level: d.moveLevel, reason: d.reason, by: RISK_MODEL_ACTOR, policy }],
        });
        return;
      }
      if (d.move !== 'downgrade' && d.move !== 'clear') return;
      try {
        await client.workflow.getHandle(workflowId).executeUpdate(changeLevelUpdate, {
          args: [
            {
              caseId: d.caseId,
              level: d.move === 'clear' ? 'clear' : d.moveLevel!,
              reason: d.reason,
              by: RISK_MODEL_ACTOR,
            },
          ],
        });
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      }
    },

    /** A page of enterprise ids after `after` (by _id), for the scheduled recompute of all. */
    async riskEnterprisePage(input: { after?: string; limit: number }): Promise<string[]> {
      const docs = await models.Enterprise.find(input.after ? { _id: { $gt: input.after } } : {}, { _id: 1 })
        .sort({ _id: 1 })
        .limit(input.limit)
        .lean();
      return docs.map((d) => d._id);
    },
  };
}
export type RiskActivities = ReturnType<typeof createRiskActivities>;

/**
 * Asks for one enterprise's recompute from inside another activity (a case opened or closed): signal-with-start of
 * `risk-recompute/<enterpriseId>`, so triggers arriving while one runs are taken by it (coalesced). Outside a worker
 * (no activity context) it does nothing: the scheduled recompute catches up.
 */
export async function requestRiskRecompute(enterpriseId: string, trigger: RecomputeTrigger): Promise<void> {
  let ctx: { client: Client; taskQueue: string };
  try {
    ctx = clientOfActivity();
  } catch {
    return;
  }
  await ctx.client.workflow.signalWithStart('riskRecompute', {
    taskQueue: ctx.taskQueue,
    workflowId: riskRecomputeWorkflowId(enterpriseId),
    args: [{ enterpriseId }],
    signal: recomputeRiskSignal,
    signalArgs: [{ trigger }],
  });
}
