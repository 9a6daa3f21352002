/**
 * The yearly key enforcement targets (年度执法检查重点对象, 002 第三十、三十一条): the list the monthly report runs
 * keep (models/KeyEnforcementTarget.ts), read within the caller's jurisdiction, and the on-site enforcement
 * inspection (现场执法检查) a regulator or an administrator schedules for one of them: a case of its own
 * (workflows/enforcementInspection.ts, `key-target/<year>/<enterpriseId>`) whose task (`enforcement_inspection`,
 * form `enforcementInspectionRecord`) is the enterprise's district industry regulator's, once per enterprise and
 * year, audited.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { caseSearchAttributes } from '../../config/searchAttributes';
import { Principal, canSeeEnterprise } from '../../domain/access';
import type { Models } from '../../models';
import type { EnterpriseDoc, AgencyDoc } from '../../models/masterData';
import { pickAgency } from '../../activities/monitoring';
import type { AuditService } from '../access/audit';
import { HttpError } from '../errors';
import { enforcementInspection } from '../../workflows/enforcementInspection';

export const keyTargetQuery = z.object({
  year: z.coerce
    .number({ error: 'must be a year such as 2026' })
    .int('must be a year such as 2026')
    .min(2000, 'must be a year such as 2026')
    .max(2100, 'must be a year such as 2026'),
});
export const inspectionForm = z.object({ note: z.string().trim().max(1000).optional() });
export type InspectionForm = z.infer<typeof inspectionForm>;

export const keyTargetView = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string().optional(),
  year: z.number().int(),
  months: z.array(z.object({ month: z.string(), reason: z.string(), priority: z.number(), reportId: z.string() })),
  inspection: z.looseObject({ taskId: z.string() }).optional(),
});

export function createKeyTargetService(deps: {
  models: Pick<Models, 'KeyEnforcementTarget' | 'Enterprise' | 'Agency' | 'Task'>;
  audit: AuditService;
  temporal: Client;
  taskQueue: string;
}) {
  const { models, audit, temporal, taskQueue } = deps;
  const regulatorOrAdmin = (p: Principal) => {
    if (p.role !== 'admin' && p.role !== 'regulator')
      throw new HttpError(403, 'the key enforcement targets are for regulators and administrators');
  };
  /** The inspection case's id (its workflow's) and its task's. */
  const caseIdOf = (year: number, enterpriseId: string) => `key-target/${year}/${enterpriseId}`;
  const taskIdOf = (year: number, enterpriseId: string) => `${caseIdOf(year, enterpriseId)}/inspection`;

  return {
    /** The year's list within the caller's jurisdiction, red and orange first, then by enterprise. */
    async list(p: Principal, year: number): Promise<z.infer<typeof keyTargetView>[]> {
      regulatorOrAdmin(p);
      const docs = await models.KeyEnforcementTarget.find({ year }).limit(5000).lean();
      const mine = docs.filter((d) =>
        canSeeEnterprise(p, {
          _id: d.enterpriseId,
          regionPath: d.regionPath,
          industry: d.industry as EnterpriseDoc['industry'],
        }),
      );
      const names = new Map(
        (await models.Enterprise.find({ _id: { $in: mine.map((d) => d.enterpriseId) } }, { name: 1 }).lean()).map(
          (e) => [e._id, e.name],
        ),
      );
      const top = (d: (typeof mine)[number]) => Math.min(...d.months.map((m) => m.priority));
      return mine
        .sort((a, b) => top(a) - top(b) || a.enterpriseId.localeCompare(b.enterpriseId))
        .map((d) => ({
          enterpriseId: d.enterpriseId,
          enterpriseName: names.get(d.enterpriseId),
          year: d.year,
          months: d.months.map((m) => ({
            month: m.month,
            reason: m.reason,
            priority: m.priority,
            reportId: m.reportId,
          })),
          ...(d.inspection ? { inspection: d.inspection } : {}),
        }));
    },

    /** Schedules the on-site enforcement inspection of a listed enterprise: the district industry regulator's task; 409 when already scheduled. */
    async scheduleInspection(
      p: Principal,
      year: number,
      enterpriseId: string,
      form: InspectionForm,
      ip?: string,
    ): Promise<{ taskId: string }> {
      regulatorOrAdmin(p);
      const target = await models.KeyEnforcementTarget.findById(`${year}/${enterpriseId}`).lean();
      const e = await models.Enterprise.findById(enterpriseId).lean<EnterpriseDoc>();
      if (!target || !e || !canSeeEnterprise(p, e))
        throw new HttpError(
          404,
          `${enterpriseId} is not a key enforcement target of ${year} in your jurisdiction`,
          'enterpriseId',
        );
      const agencies = await models.Agency.find({ regionId: { $in: e.regionPath } }).lean<AgencyDoc[]>();
      const agency =
        pickAgency(agencies, 'district_industry_regulator', e) ?? pickAgency(agencies, 'district_emergency_bureau', e);
      const taskId = taskIdOf(year, enterpriseId);
      const claimed = await models.KeyEnforcementTarget.updateOne(
        { _id: target._id, inspection: { $exists: false } },
        {
          $set: {
            inspection: {
              taskId,
              agencyId: agency?._id,
              scheduledBy: p.username,
              scheduledAt: new Date(),
              note: form.note,
            },
          },
        },
      );
      if (claimed.modifiedCount === 0)
        throw new HttpError(
          409,
          `the enforcement inspection of ${enterpriseId} for ${year} is already scheduled`,
          'enterpriseId',
        );
      const reasons = target.months.map((m) => `${m.month} ${m.reason}`).join('；');
      // The inspection is a case of its own (workflows/enforcementInspection.ts): it opens the agency's task.
      const started = temporal.workflow.start(enforcementInspection, {
        taskQueue,
        workflowId: caseIdOf(year, enterpriseId),
        args: [
          {
            year,
            enterpriseId,
            enterpriseName: e.name,
            regionPath: e.regionPath,
            industry: e.industry,
            agencyId: agency?._id,
            reasons,
            scheduledBy: p.username,
            scheduledAt: new Date().toISOString(),
            ...(form.note ? { note: form.note } : {}),
          },
        ],
        typedSearchAttributes: caseSearchAttributes('enforcement_inspection', enterpriseId),
      });
      // Not started: the target is not left marked as scheduled.
      await started.catch(async (err: unknown) => {
        await models.KeyEnforcementTarget.updateOne({ _id: target._id }, { $unset: { inspection: 1 } });
        throw err;
      });
      await audit.record(p.username, 'key_target.inspection_scheduled', taskId, { year, enterpriseId, ...form }, ip);
      return { taskId };
    },
  };
}
export type KeyTargetService = ReturnType<typeof createKeyTargetService>;
