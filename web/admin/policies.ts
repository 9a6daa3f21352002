/**
 * The escalation policy (风险预警分级响应阶梯) as versioned data: read the one in force, and an
 * administrator's new version, which applies to warnings opened after it (running warnings keep
 * the version they recorded).
 */
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import { LEVELS, Level } from '../../domain/cases';
import {
  DEFAULT_ESCALATION_POLICY,
  EscalationPolicy,
  LevelLadder,
  escalationPolicyProblems,
} from '../../domain/escalation';
import {
  DEFAULT_ENFORCEMENT_POLICY,
  EnforcementPolicy,
  INTERVIEW_CLOCKS,
  PENALTY_CLOCKS,
  enforcementPolicyProblems,
} from '../../domain/enforcement';
import type { Models } from '../../models';
import type { AuditService } from '../access/audit';
import { HttpError } from '../errors';
import { storeVersion } from './versions';

const rung = z.object({
  pushTo: z.array(z.string(), { error: 'must be a list of recipient roles' }),
  trackedBy: z.string({ error: 'must name a recipient role' }),
  firstNoticeAfter: z.string().optional(),
  noticeTo: z.string().optional(),
  repeatEvery: z.string().optional(),
  onSiteAfter: z.string().optional(),
  citation: z.string().max(500).optional(),
});

/** One schema for the admin page and the API: the ladder per level (the version is assigned by the service). */
export const escalationPolicyForm = z.object({
  levels: z.object(Object.fromEntries(LEVELS.map((l) => [l, rung])) as Record<Level, typeof rung>, {
    error: 'must give a rung for each of red, orange, yellow, blue',
  }),
});
export type EscalationPolicyForm = z.infer<typeof escalationPolicyForm>;

const clocks = <K extends string>(keys: readonly K[]) =>
  z.object(
    Object.fromEntries(keys.map((k) => [k, z.string({ error: 'must be an ISO-8601 duration such as P5D' })])) as Record<
      K,
      z.ZodString
    >,
  );

/** One schema for the admin page and the API: the interview and penalty clocks (the version is assigned by the service). */
export const enforcementPolicyForm = z.object({ interview: clocks(INTERVIEW_CLOCKS), penalty: clocks(PENALTY_CLOCKS) });
export type EnforcementPolicyForm = z.infer<typeof enforcementPolicyForm>;

export function createPolicyService(deps: {
  models: Pick<Models, 'EscalationPolicy' | 'EnforcementPolicy'>;
  audit: AuditService;
}) {
  const { models, audit } = deps;

  return {
    /** The interview and penalty clocks in force for follow-ups opened now. */
    async currentEnforcement(): Promise<EnforcementPolicy> {
      const doc = await models.EnforcementPolicy.findOne({}, { updatedBy: 0, updatedAt: 0, _id: 0 })
        .sort({ _id: -1 })
        .lean();
      return doc
        ? { version: doc.version, interview: doc.interview, penalty: doc.penalty }
        : DEFAULT_ENFORCEMENT_POLICY;
    },

    /** A new version of the interview and penalty clocks; 400 naming the field (`penalty.statementWindow`). */
    async setEnforcement(p: Principal, form: EnforcementPolicyForm, ip?: string): Promise<EnforcementPolicy> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may change the enforcement policy');
      const current = await this.currentEnforcement();
      const policy: EnforcementPolicy = {
        version: current.version + 1,
        interview: { ...form.interview },
        penalty: { ...form.penalty },
      };
      return storeVersion(
        { model: models.EnforcementPolicy, audit },
        { name: 'enforcement_policy', problems: enforcementPolicyProblems(policy) },
        policy,
        p,
        ip,
      );
    },

    /** The policy in force for warnings opened now. */
    async currentEscalation(): Promise<EscalationPolicy> {
      const doc = await models.EscalationPolicy.findOne({}, { updatedBy: 0, updatedAt: 0, _id: 0 })
        .sort({ _id: -1 })
        .lean();
      return doc ? { version: doc.version, levels: doc.levels } : DEFAULT_ESCALATION_POLICY;
    },

    /** One stored version (what a running warning runs under). */
    async escalationVersion(version: number): Promise<EscalationPolicy> {
      const doc = await models.EscalationPolicy.findById(version).lean();
      if (doc) return { version: doc.version, levels: doc.levels };
      if (version === DEFAULT_ESCALATION_POLICY.version) return DEFAULT_ESCALATION_POLICY;
      throw new HttpError(404, `no escalation policy version ${version}`, 'version');
    },

    /** A new version of the ladder; 400 naming the field for a bad duration or role. */
    async setEscalation(p: Principal, form: EscalationPolicyForm, ip?: string): Promise<EscalationPolicy> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may change the escalation policy');
      const current = await this.currentEscalation();
      const levels = Object.fromEntries(
        LEVELS.map((l) => {
          const r = form.levels[l];
          const clean: LevelLadder = {
            pushTo: r.pushTo as LevelLadder['pushTo'],
            trackedBy: r.trackedBy as LevelLadder['trackedBy'],
            citation: r.citation ?? DEFAULT_ESCALATION_POLICY.levels[l].citation,
          };
          for (const k of ['firstNoticeAfter', 'noticeTo', 'repeatEvery', 'onSiteAfter'] as const)
            if (r[k] !== undefined) (clean as unknown as Record<string, string>)[k] = r[k]!;
          return [l, clean];
        }),
      ) as Record<Level, LevelLadder>;
      const policy: EscalationPolicy = { version: current.version + 1, levels };
      return storeVersion(
        { model: models.EscalationPolicy, audit },
        { name: 'escalation_policy', problems: escalationPolicyProblems(policy) },
        policy,
        p,
        ip,
      );
    },
  };
}
export type PolicyService = ReturnType<typeof createPolicyService>;
