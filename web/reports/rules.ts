/**
 * Report rules (周报/月报 follow-up thresholds) as versioned data: read the version in force, and an
 * administrator's new version, which applies to report runs started after it.
 */
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import { DEFAULT_REPORT_RULES, ReportRules, reportRulesProblems } from '../../domain/reports/rules';
import type { Models } from '../../models';
import type { AuditService } from '../access/audit';
import { HttpError } from '../errors';
import { storeVersion } from '../admin/versions';

const kindRules = z.object({
  offlineRatePercent: z.number({ error: 'must be a percentage' }),
  interviewOfflineDays: z.number({ error: 'must be a number of days' }),
  regionInterviewOfflineDays: z.number({ error: 'must be a number of days' }).optional(),
  frequentWarningCount: z.number({ error: 'must be a count' }).optional(),
});

/** One schema for the admin page and the API (the version is assigned by the service). */
export const reportRulesForm = z.object({
  weekly: kindRules,
  monthly: kindRules.extend({
    keyTargets: z.object({
      levels: z.array(z.string(), { error: 'must be a list of warning levels' }),
      frequentCount: z.number({ error: 'must be a count' }),
    }),
  }),
});
export type ReportRulesForm = z.infer<typeof reportRulesForm>;

export function createReportRulesService(deps: { models: Pick<Models, 'ReportRules'>; audit: AuditService }) {
  const { models, audit } = deps;
  const strip = (doc: ReportRules): ReportRules => ({ version: doc.version, weekly: doc.weekly, monthly: doc.monthly });
  return {
    /** The rules in force for runs started now. */
    async current(): Promise<ReportRules> {
      const doc = await models.ReportRules.findOne({}).sort({ _id: -1 }).lean();
      return doc ? strip(doc) : DEFAULT_REPORT_RULES;
    },

    /** A new version; 400 naming the field for a bad threshold, 409 when another admin wrote meanwhile. */
    async set(p: Principal, form: ReportRulesForm, ip?: string): Promise<ReportRules> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may change the report rules');
      const current = await this.current();
      const rules = { version: current.version + 1, weekly: form.weekly, monthly: form.monthly } as ReportRules;
      return storeVersion(
        { model: models.ReportRules, audit },
        {
          name: 'report_rules',
          problems: reportRulesProblems(rules),
          conflict: 'the report rules changed meanwhile; read them again',
        },
        rules,
        p,
        ip,
      );
    },
  };
}
export type ReportRulesService = ReturnType<typeof createReportRulesService>;
