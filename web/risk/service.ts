/**
 * The risk model for people (issue 14): the administrator's risk rules as versions (validated by riskRulesProblems,
 * a stale edit is a 409) with a band preview on the enterprises' latest inputs; an enterprise's level and
 * composition and its history; the distribution within a jurisdiction; the explanation generated from the rules.
 * Reads projections only: the computations are written by the recompute workflow (activities/risk.ts), never here.
 */
import type { Principal } from '../../domain/access';
import { canSeeEnterprise, enterpriseFilter } from '../../domain/access';
import {
  DEFAULT_RISK_RULES,
  RULE_GROUPS,
  explainIndex,
  explainRules,
  levelDistribution,
  previewRules,
  type Explanation,
  type LevelDistribution,
  type RiskLevel,
  type RiskRules,
  type RuleGroup,
} from '../../domain/risk';
import { riskRulesProblems } from '../../domain/risk/validate';
import type { Models } from '../../models';
import type { RiskComputationDoc } from '../../models/RiskComputation';
import { riskRulesInForce } from '../../models/RiskRules';
import type { AuditService } from '../access/audit';
import { storeVersion, versionHistory, type VersionLine } from '../admin/versions';
import { HttpError } from '../errors';
import type { RiskRulesForm } from './schemas';

export interface RiskComputationView {
  enterpriseId: string;
  at: string;
  trigger: string;
  score: number;
  level: RiskLevel;
  ruleGroup: RuleGroup;
  rulesVersion: number;
  components: RiskComputationDoc['components'];
  move?: string;
  moveReason?: string;
}

const view = (c: RiskComputationDoc): RiskComputationView => ({
  enterpriseId: c.enterpriseId,
  at: c.at.toISOString(),
  trigger: c.trigger,
  score: c.score,
  level: c.level,
  ruleGroup: c.ruleGroup,
  rulesVersion: c.rulesVersion,
  components: c.components,
  ...(c.move ? { move: c.move } : {}),
  ...(c.moveReason ? { moveReason: c.moveReason } : {}),
});

/** The jurisdiction's filter on computations (they carry the enterprise's region path and industry). */
function computationFilter(p: Principal): Record<string, unknown> {
  const f = enterpriseFilter(p);
  if ('_id' in f) return { enterpriseId: f._id };
  return f;
}

export function createRiskService(deps: { models: Models; audit: AuditService }) {
  const { models, audit } = deps;
  const currentRules = () => riskRulesInForce(models.RiskRules, DEFAULT_RISK_RULES);

  async function seeEnterprise(p: Principal, enterpriseId: string) {
    const e = await models.Enterprise.findById(enterpriseId, { name: 1, regionPath: 1, industry: 1 }).lean();
    if (!e) throw new HttpError(404, `no enterprise ${enterpriseId}`, 'enterpriseId');
    if (!canSeeEnterprise(p, e))
      throw new HttpError(403, `enterprise ${enterpriseId} is outside your jurisdiction`, 'enterpriseId');
    return e;
  }

  return {
    currentRules,

    /** One stored version (the shipped default is v1 until one is stored); 404 naming `version`. */
    async rulesVersion(version: number): Promise<RiskRules> {
      const doc = await models.RiskRules.findById(version, { updatedBy: 0, updatedAt: 0 }).lean();
      if (doc)
        return {
          version: doc.version,
          window: doc.window,
          damping: doc.damping,
          scales: doc.scales,
          groups: doc.groups,
        };
      if (version === DEFAULT_RISK_RULES.version) return DEFAULT_RISK_RULES;
      throw new HttpError(404, `no risk rules version ${version}`, 'version');
    },

    /** The versions, newest first; the shipped default last when nobody replaced it. */
    async rulesHistory(): Promise<VersionLine[]> {
      return versionHistory(models.RiskRules, DEFAULT_RISK_RULES.version);
    },

    /**
     * A new version (administrators): 400 naming the dotted field (`groups.steel.factors.open_alarms.weight`), 409
     * naming `version` when the form was based on an older version. Applies to the next computation.
     */
    async setRules(p: Principal, form: RiskRulesForm, ip?: string): Promise<RiskRules> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may change the risk rules');
      const current = await currentRules();
      if (form.version !== undefined && form.version !== current.version)
        throw new HttpError(
          409,
          `version: v${current.version} was saved since you read v${form.version}; check it and save again`,
          'version',
        );
      const rules: RiskRules = {
        version: current.version + 1,
        window: form.window,
        damping: form.damping,
        scales: form.scales,
        groups: form.groups,
      };
      return storeVersion(
        { model: models.RiskRules, audit },
        { name: 'risk_rules', problems: riskRulesProblems(rules) },
        rules,
        p,
        ip,
      );
    },

    /**
     * How many enterprises each level would hold under draft rules, from each enterprise's latest inputs (what the
     * last computation gathered), beside the same count under the rules in force. 400 naming the field for bad rules.
     */
    async preview(p: Principal, draft: unknown) {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may preview risk rules');
      const current = await currentRules();
      const rules = { ...(draft as object), version: current.version + 1 } as RiskRules;
      const problem = riskRulesProblems(rules)[0];
      if (problem) throw new HttpError(400, `${problem.field}: ${problem.message}`, problem.field);
      // Served by risk_computations {latest, regionPath}.
      const latest = await models.RiskComputation.find({ latest: true }, { inputs: 1 }).lean();
      const inputs = latest.map((c) => c.inputs).filter(Boolean);
      const draftCounts = previewRules(inputs, rules);
      return { enterprises: inputs.length, ...draftCounts, current: previewRules(inputs, current).total };
    },

    /** The enterprise's latest computation with its composition in words, or none yet. */
    async enterpriseRisk(p: Principal, enterpriseId: string) {
      const e = await seeEnterprise(p, enterpriseId);
      // Served by risk_computations {enterpriseId, at}.
      const c = await models.RiskComputation.findOne({ enterpriseId }).sort({ at: -1 }).lean();
      return {
        enterprise: { _id: e._id, name: e.name, industry: e.industry },
        latest: c ? view(c) : undefined,
        explanation: c ? explainIndex(c) : undefined,
      };
    },

    /** The enterprise's computations, newest first (at most 200). */
    async history(p: Principal, enterpriseId: string) {
      const e = await seeEnterprise(p, enterpriseId);
      const docs = await models.RiskComputation.find({ enterpriseId }).sort({ at: -1 }).limit(200).lean();
      return { enterprise: { _id: e._id, name: e.name }, enterpriseId, computations: docs.map(view) };
    },

    /** Enterprises per level in total, per industry and per region, within the jurisdiction (regulators, admins). */
    async distribution(p: Principal): Promise<LevelDistribution & { enterprises: number }> {
      if (p.role === 'enterprise') throw new HttpError(403, 'the distribution is for regulators');
      // Served by risk_computations {latest, regionPath}.
      const rows = await models.RiskComputation.find(
        { latest: true, ...computationFilter(p) },
        { level: 1, industry: 1, regionPath: 1 },
      ).lean();
      return {
        enterprises: rows.length,
        ...levelDistribution(
          rows.map((r) => ({ level: r.level, industry: r.industry as never, regionPath: r.regionPath })),
        ),
      };
    },

    /** The regions' names, cities first (the distribution's rows). */
    async regionNames(ids: string[]): Promise<{ _id: string; name: string; depth: number }[]> {
      const docs = await models.Region.find({ _id: { $in: ids } }, { name: 1, path: 1 }).lean();
      return docs
        .map((d) => ({ _id: d._id, name: d.name, depth: d.path?.length ?? 1 }))
        .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name, 'zh'));
    },

    /** The explanation of the rules in force (or a version), per rule group, generated from the rule data. */
    async explanation(
      version?: number,
    ): Promise<{ rules: RiskRules; groups: { group: RuleGroup; text: Explanation }[] }> {
      const rules = version ? await this.rulesVersion(version) : await currentRules();
      return { rules, groups: RULE_GROUPS.map((group) => ({ group, text: explainRules(rules, group) })) };
    },
  };
}
export type RiskService = ReturnType<typeof createRiskService>;
