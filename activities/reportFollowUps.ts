/**
 * A report's follow-ups (跟进): what the report rules ask for each enterprise (domain/reports/rules), recorded
 * on the report and, for a record-only run, as open tasks for the acting agency; for a run that opens cases,
 * each interview follow-up links to an interview already open about the same outage instead of a second one.
 * Idempotent: task ids are `report/<follow-up id>` (period + enterprise + rule), so a re-run upserts the same.
 */
import { followUps as rulesFollowUps, orderKeyTargets, type FollowUp, type ReportRules } from '../domain/reports/rules';
import type { Models } from '../models';
import type { AgencyDoc, EnterpriseDoc } from '../models/masterData';
import { pickAgency } from './monitoring';
import type { ReportFigures } from './reportFigures';

/** A follow-up as the report keeps it: its task (record-only runs), acting agency, the open interview it links to. */
export type ReportFollowUp = FollowUp & { taskId?: string; agencyId?: string; interviewCaseId?: string };

type FollowUpDeps = Pick<Models, 'Enterprise' | 'Agency' | 'CaseRecord' | 'Task' | 'Report' | 'KeyEnforcementTarget'>;

/** The figures stored on a report (computeAndStoreFigures): too big for workflow history, so read from the report. */
export async function storedFigures(m: Pick<Models, 'Report'>, reportId: string): Promise<ReportFigures> {
  const doc = await m.Report.findById(reportId, { figures: 1 }).lean();
  if (!doc?.figures) throw new Error(`report ${reportId} has no figures yet`);
  return doc.figures as unknown as ReportFigures;
}

export function createReportFollowUps(m: FollowUpDeps) {
  /**
   * Interviews already open about an enterprise's outage (约谈 opened by its offline case, `parentCaseId`
   * offline/…, or by an earlier report, `report/…`), per enterprise: a report's interview follow-up links
   * to one instead of opening a second interview for the same outage. Region interviews (约谈企业及属地)
   * link only to region interviews.
   */
  async function openOutageInterviews(
    enterpriseIds: string[],
  ): Promise<Map<string, { id: string; region: boolean }[]>> {
    const out = new Map<string, { id: string; region: boolean }[]>();
    if (!enterpriseIds.length) return out;
    const docs = await m.CaseRecord.find(
      {
        type: 'interview',
        status: 'open',
        enterpriseId: { $in: enterpriseIds },
        $or: [{ parentCaseId: { $gte: 'offline/', $lt: 'offline0' } }, { _id: { $gte: 'report/', $lt: 'report0' } }],
      },
      { _id: 1, enterpriseId: 1, title: 1, openedAt: 1 },
    )
      .sort({ openedAt: 1 })
      .lean<{ _id: string; enterpriseId: string; title: string }[]>();
    for (const d of docs) {
      const region = d._id.includes('/region_interview') || d.title.startsWith('约谈企业及属地');
      (out.get(d.enterpriseId) ?? out.set(d.enterpriseId, []).get(d.enterpriseId)!).push({ id: d._id, region });
    }
    return out;
  }

  /**
   * The follow-ups the rules ask for, recorded on the report and as open tasks (kind `interview` or
   * `warning_notice`) for the enterprise's district industry regulator (else the emergency bureau).
   * Task ids are `report/<follow-up id>`: a re-run upserts the same ones.
   * `asCases`: interviews and warning notices become cases and documents of their own (the report
   * workflow opens them; no record-only task) and each follow-up names its acting agency.
   */
  async function recordFollowUps(input: {
    reportId: string;
    rules: ReportRules;
    figures?: ReportFigures;
    asCases?: boolean;
  }): Promise<ReportFollowUp[]> {
    const figures = input.figures ?? (await storedFigures(m, input.reportId));
    const { kind, start } = figures.period;
    const list = figures.enterprises.flatMap((f) => rulesFollowUps(input.rules, kind, start, f));
    const ids = [...new Set(list.map((f) => f.enterpriseId))];
    const ents = await m.Enterprise.find({ _id: { $in: ids } }).lean<EnterpriseDoc[]>();
    const regionIds = [...new Set(ents.flatMap((e) => e.regionPath))];
    const agencies = await m.Agency.find({ regionId: { $in: regionIds } }).lean<AgencyDoc[]>();
    const entById = new Map(ents.map((e) => [e._id, e]));
    const interviewing = input.asCases
      ? await openOutageInterviews([
          ...new Set(
            list.filter((f) => f.action === 'interview' || f.action === 'region_interview').map((f) => f.enterpriseId),
          ),
        ])
      : new Map<string, { id: string; region: boolean }[]>();
    const out: ReportFollowUp[] = [];
    const ops = [];
    for (const f of list) {
      const e = entById.get(f.enterpriseId);
      if (f.action === 'key_target' || !e) {
        out.push(f);
        continue;
      }
      const agency =
        pickAgency(agencies, 'district_industry_regulator', e) ?? pickAgency(agencies, 'district_emergency_bureau', e);
      if (input.asCases) {
        // One outage, one interview: an interview already open for it (its own follow-up id excepted: a re-run) is linked.
        const open = (interviewing.get(f.enterpriseId) ?? []).find(
          (i) => i.id !== `report/${f.id}` && (f.action === 'interview' || i.region),
        );
        out.push({
          ...f,
          agencyId: agency?._id,
          ...(open && f.action !== 'warning_notice' ? { interviewCaseId: open.id } : {}),
        });
        continue;
      }
      const taskId = `report/${f.id}`;
      const isInterview = f.action !== 'warning_notice';
      ops.push({
        updateOne: {
          filter: { _id: taskId },
          update: {
            $setOnInsert: {
              _id: taskId,
              caseId: `report/${f.id}`,
              caseType: isInterview ? 'interview' : 'risk_warning',
              kind: isInterview ? 'interview' : 'warning_notice',
              title: `${isInterview ? (f.action === 'region_interview' ? '约谈企业及属地' : '约谈') : '警示通报'}：${e.name}（${f.reason}）`,
              enterpriseId: e._id,
              assigneeAgencyId: agency?._id,
              status: 'open',
              form: isInterview ? 'interviewMinutes' : 'warningNoticeRecord',
              result: { reportId: input.reportId, followUpId: f.id, rule: f.rule },
              createdAt: new Date(),
            },
          },
          upsert: true,
        },
      });
      out.push({ ...f, taskId });
    }
    if (ops.length) await m.Task.bulkWrite(ops, { ordered: false });
    if (kind === 'monthly') await keepYearlyKeyTargets(input.reportId, start, list, entById);
    // Key enforcement targets last, red and orange first.
    const ordered = [...out.filter((f) => f.rule !== 'key_target'), ...orderKeyTargets(out)];
    await m.Report.updateOne({ _id: input.reportId }, { $set: { followUps: ordered } });
    return ordered;
  }

  /**
   * 002 第三十、三十一条: key targets are for the YEAR's enforcement inspections. Each monthly run upserts the
   * enterprise's entry of the (Beijing) year with this month and its reason; a re-run of the month replaces
   * that month's entry (pull, then push: the list stays one entry per month, sorted).
   */
  async function keepYearlyKeyTargets(
    reportId: string,
    periodStart: string,
    list: FollowUp[],
    entById: Map<string, EnterpriseDoc>,
  ): Promise<void> {
    const year = Number(periodStart.slice(0, 4));
    const month = periodStart.slice(0, 7);
    for (const f of list) {
      const e = entById.get(f.enterpriseId);
      if (f.action !== 'key_target' || !e) continue;
      const _id = `${year}/${e._id}`;
      await m.KeyEnforcementTarget.updateOne(
        { _id },
        {
          $setOnInsert: { year, enterpriseId: e._id },
          $set: { regionPath: e.regionPath, industry: e.industry, updatedAt: new Date() },
          $pull: { months: { month } },
        },
        { upsert: true },
      );
      await m.KeyEnforcementTarget.updateOne(
        { _id },
        {
          $push: {
            months: { $each: [{ month, reason: f.reason, priority: f.priority ?? 9, reportId }], $sort: { month: 1 } },
          },
        },
      );
    }
  }

  return { recordFollowUps };
}
