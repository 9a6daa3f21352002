/**
 * The regulator's lists as files (issue 16): the inbox, the spot check, the case list (the alarms are its
 * monitoring_alarm cases) and a report's table of enterprises. Each reads through the service that serves its
 * page (or API), with the same filter and jurisdiction — the whole list from a cursor (inbox.inboxAll,
 * spotCheck.searchAll, cases.stream) — so a large list is written as it is read. Headers in Chinese (zh-CN
 * words of the pages), times in Beijing time. Each export is written to the audit trail once.
 */
import type { Principal } from '../../domain/access';
import type { Models } from '../../models';
import type { CaseRecordDoc } from '../../models/CaseRecord';
import type { AuditService } from '../access/audit';
import { caseQuery, type CaseService } from '../cases/cases';
import { fromZod } from '../errors';
import { helpers } from '../helpers';
import { translate } from '../i18n';
import type { SpotCheckRow, SpotCheckService } from '../monitoring/spotCheck';
import type { ReportService } from '../reports/service';
import { inboxFilters, type InboxRow, type PortalService } from '../tasks/inbox';
import { type Cell, type ExportTable } from './writers';

const zh = (key: string) => translate('zh-CN', key);
const word = (prefix: string, v: string | undefined) => (v ? zh(`${prefix}${v}`) : undefined);
const beijing = (v: Date | string | undefined): string | undefined => (v ? helpers.date(v) : undefined);
const today = () => helpers.date(new Date()).slice(0, 10).replace(/-/g, '');

/** Rows in chunks, each chunk looked up together (names of enterprises, regions) before it is written. */
async function* chunked<R, X>(
  rows: AsyncIterable<R>,
  size: number,
  lookup: (chunk: R[]) => Promise<(r: R) => X>,
): AsyncIterable<X> {
  let chunk: R[] = [];
  const flush = async function* () {
    const map = await lookup(chunk);
    yield* chunk.map(map);
    chunk = [];
  };
  for await (const r of rows) {
    chunk.push(r);
    if (chunk.length >= size) yield* flush();
  }
  if (chunk.length) yield* flush();
}

type SpotRow = SpotCheckRow & { regionName?: string };
type CaseRow = Omit<CaseRecordDoc, 'timeline'> & { enterpriseName?: string };
interface ReportLine {
  enterpriseId: string;
  enterpriseName?: string;
  regionId?: string;
  industry?: string;
  dataOfflineRatePercent?: number;
  videoOfflineRatePercent?: number;
  longestOfflineHours?: number;
  alarms?: number;
  outOfRange?: number;
  frozen?: number;
  regionName?: string;
}

export function createExportService(deps: {
  models: Models;
  audit: AuditService;
  portal: PortalService;
  spotCheck: SpotCheckService;
  cases: CaseService;
  reports: ReportService;
}) {
  const { models, audit } = deps;

  const regionNames = async (ids: (string | undefined)[]) => {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    const found = wanted.length ? await models.Region.find({ _id: { $in: wanted } }, { name: 1 }).lean() : [];
    return new Map(found.map((r) => [r._id, r.name]));
  };

  return {
    /** 待办: the inbox under its filters (scope, case type, level, region, industry, overdue, due within). */
    async inbox(p: Principal, query: Record<string, unknown>, ip?: string): Promise<ExportTable<InboxRow>> {
      // The filters are checked (a 400 naming the field) before anything is written.
      const parsed = inboxFilters.safeParse(query);
      if (!parsed.success) throw fromZod(parsed.error);
      await audit.record(p.username, 'export.inbox', undefined, { ...parsed.data }, ip);
      const rows = deps.portal.inboxAll(p, parsed.data);
      return {
        fileName: `inbox-${today()}`,
        sheet: zh('inbox.title'),
        columns: [
          { header: zh('inbox.level'), value: (r) => word('level.', r.level), width: 14 },
          { header: zh('inbox.task'), value: (r) => r.title, width: 30 },
          { header: zh('inbox.caseType'), value: (r) => word('caseType.', r.caseType) },
          { header: zh('export.caseId'), value: (r) => r.caseId, width: 36 },
          { header: zh('inbox.enterprise'), value: (r) => r.enterpriseName, width: 28 },
          { header: zh('export.dueBeijing'), value: (r) => beijing(r.due), width: 20 },
          { header: zh('export.overdue'), value: (r) => (r.overdue ? zh('export.yes') : zh('export.no')), width: 8 },
          { header: zh('inbox.assignee'), value: (r) => r.assigneeUserId },
        ],
        rows,
      };
    },

    /** 在线抽查: the search under its filters, within the jurisdiction (enterprise users are refused by the search). */
    async spotCheck(p: Principal, query: Record<string, unknown>, ip?: string): Promise<ExportTable<SpotRow>> {
      const { query: q, rows: found } = await deps.spotCheck.searchAll(p, query);
      await audit.record(p.username, 'export.spot_check', undefined, { ...q }, ip);
      const rows = chunked(found, 200, async (chunk) => {
        const names = await regionNames(chunk.map((r) => r.regionId));
        return (r: SpotCheckRow) => ({ ...r, regionName: names.get(r.regionId) ?? r.regionId });
      });
      return {
        fileName: `spot-check-${today()}`,
        sheet: zh('spotCheck.title'),
        columns: [
          { header: zh('inbox.enterprise'), value: (r) => r.name, width: 28 },
          { header: zh('export.uscc'), value: (r) => r.uscc, width: 22 },
          { header: zh('export.region'), value: (r) => r.regionName },
          { header: zh('inbox.industry'), value: (r) => word('industry.', r.industry) },
          { header: zh('spotCheck.dustType'), value: (r) => word('dustType.', r.dustType) },
          { header: zh('enterprise.dustWorkers'), value: (r) => r.dustWorkers },
          { header: zh('inbox.level'), value: (r) => word('level.', r.currentLevel), width: 14 },
          { header: zh('export.inherentRisk'), value: (r) => word('level.', r.inherentRisk), width: 14 },
          {
            header: zh('spotCheck.connected'),
            value: (r) => zh(r.connected ? 'spotCheck.connected.yes' : 'spotCheck.connected.no'),
          },
        ],
        rows,
      };
    },

    /** 案件清单 (and 报警清单: type=monitoring_alarm): the API's case list and its filters, uncapped. */
    async cases(p: Principal, query: Record<string, unknown>, ip?: string): Promise<ExportTable<CaseRow>> {
      const { format: _format, ...filters } = query;
      const parsed = caseQuery.safeParse(filters);
      if (!parsed.success) throw fromZod(parsed.error);
      const q = parsed.data;
      await audit.record(p.username, 'export.cases', undefined, { ...q }, ip);
      const rows = chunked(deps.cases.stream(p, q), 200, async (chunk) => {
        const ids = [...new Set(chunk.map((c) => c.enterpriseId).filter((x): x is string => !!x))];
        const ents = new Map(
          (await models.Enterprise.find({ _id: { $in: ids } }, { name: 1 }).lean()).map((e) => [e._id, e.name]),
        );
        return (c: Omit<CaseRecordDoc, 'timeline'>) => ({
          ...c,
          enterpriseName: c.enterpriseId ? ents.get(c.enterpriseId) : undefined,
        });
      });
      const alarms = q.type === 'monitoring_alarm';
      return {
        fileName: `${alarms ? 'alarms' : 'cases'}-${today()}`,
        sheet: zh(alarms ? 'export.alarms' : 'export.cases'),
        columns: [
          { header: zh('export.caseId'), value: (c) => c._id, width: 36 },
          { header: zh('inbox.caseType'), value: (c) => word('caseType.', c.type) },
          { header: zh('export.title'), value: (c) => c.title, width: 36 },
          { header: zh('inbox.enterprise'), value: (c) => c.enterpriseName, width: 28 },
          { header: zh('inbox.level'), value: (c) => word('level.', c.level), width: 14 },
          { header: zh('export.status'), value: (c) => word('status.', c.status) },
          { header: zh('export.openedBeijing'), value: (c) => beijing(c.openedAt), width: 20 },
          { header: zh('export.closedBeijing'), value: (c) => beijing(c.closedAt), width: 20 },
          { header: zh('export.nextDueBeijing'), value: (c) => beijing(c.nextDue), width: 20 },
        ],
        rows,
      };
    },

    /** 报表: a report's table of enterprises, the lines the caller may read (reports.get cuts them). */
    async report(p: Principal, id: string, ip?: string): Promise<ExportTable<ReportLine>> {
      const report = await deps.reports.get(p, id);
      const lines = ((report.figures as { enterprises?: ReportLine[] } | undefined)?.enterprises ?? []).slice();
      const names = await regionNames(lines.map((l) => l.regionId));
      await audit.record(p.username, 'export.report', id, undefined, ip);
      const num = (v: number | undefined): Cell => v;
      return {
        fileName: `report-${id.replace(/^report\//, '').replace(/\//g, '-')}`,
        sheet: `${zh(`export.report.${report.kind}`)} ${report.periodStart}`,
        columns: [
          { header: zh('inbox.enterprise'), value: (l) => l.enterpriseName ?? l.enterpriseId, width: 28 },
          {
            header: zh('export.region'),
            value: (l) => (l.regionId ? (names.get(l.regionId) ?? l.regionId) : undefined),
          },
          { header: zh('inbox.industry'), value: (l) => word('industry.', l.industry) },
          { header: zh('export.dataOfflineRate'), value: (l) => num(l.dataOfflineRatePercent) },
          { header: zh('export.videoOfflineRate'), value: (l) => num(l.videoOfflineRatePercent) },
          { header: zh('export.longestOffline'), value: (l) => num(l.longestOfflineHours), width: 20 },
          { header: zh('export.alarmCount'), value: (l) => num(l.alarms), width: 8 },
          { header: zh('export.outOfRange'), value: (l) => num(l.outOfRange), width: 8 },
          { header: zh('export.frozen'), value: (l) => num(l.frozen), width: 8 },
        ],
        rows: lines,
      };
    },
  };
}
export type ExportService = ReturnType<typeof createExportService>;
