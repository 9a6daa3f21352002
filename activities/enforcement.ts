/**
 * What the enforcement follow-ups (Interview 约谈, Penalty 行政处罚) read when they open: the policy
 * in force (its clocks; the workflow keeps the version it started with) and the parties — the
 * enterprise and the agency that interviews or penalises, with their mail addresses.
 */
import { DEFAULT_ENFORCEMENT_POLICY, EnforcementPolicy } from '../domain/enforcement';
import type { Models } from '../models';

export interface FollowUpContext {
  enterpriseId: string;
  enterpriseName: string;
  regionPath: string[];
  industry: string;
  enterpriseEmails: string[];
  agencyId: string;
  agencyName: string;
  agencyEmails: string[];
}

export function createEnforcementActivities(deps: Pick<Models, 'EnforcementPolicy' | 'Enterprise' | 'Agency'>) {
  const m = deps;
  return {
    async currentEnforcementPolicy(): Promise<EnforcementPolicy> {
      const doc = await m.EnforcementPolicy.findOne({}, { updatedBy: 0, updatedAt: 0, _id: 0 })
        .sort({ _id: -1 })
        .lean();
      return doc
        ? { version: doc.version, interview: doc.interview, penalty: doc.penalty }
        : DEFAULT_ENFORCEMENT_POLICY;
    },

    async followUpContext(input: { enterpriseId: string; agencyId: string }): Promise<FollowUpContext> {
      const e = await m.Enterprise.findById(input.enterpriseId).lean();
      if (!e) throw new Error(`enterprise ${input.enterpriseId} does not exist`);
      const a = await m.Agency.findById(input.agencyId).lean();
      return {
        enterpriseId: e._id,
        enterpriseName: e.name,
        regionPath: e.regionPath,
        industry: e.industry,
        enterpriseEmails: [...new Set((e.contacts ?? []).map((c) => c.email).filter((x): x is string => !!x))],
        agencyId: input.agencyId,
        agencyName: a?.name ?? input.agencyId,
        agencyEmails: a?.emails ?? [],
      };
    },
  };
}
export type EnforcementActivities = ReturnType<typeof createEnforcementActivities>;
