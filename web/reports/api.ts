/**
 * Reports, after `bearerAuth`: the report rules (versioned; a new version is the administrators'), report
 * runs (administrators start one → 202 {reportId}), a report as the reader may see it, and its PDF.
 */
import { z } from 'zod';
import { REPORT_STATUSES } from '../../models/Report';
import { timestamp } from '../schemas';
import { operations, versionedPolicy } from '../api/v1/operations';
import type { Services } from '../composition';
import { reportRulesForm } from './rules';
import { reportRunForm } from './service';
import { inspectionForm, keyTargetQuery, keyTargetView } from './keyTargets';

const reportId = /report\/(?:weekly|monthly)\/\d{4}-\d{2}-\d{2}\/v\d+/.source;
const reportSummary = z.looseObject({
  _id: z.string().meta({ description: 'report/<kind>/<periodStart>/v<n>' }),
  kind: z.enum(['weekly', 'monthly']),
  periodStart: z.string().meta({ description: 'YYYY-MM-DD, Beijing' }),
  periodEnd: z.string().meta({ description: 'YYYY-MM-DD, exclusive' }),
  version: z.number().int(),
  status: z.enum(REPORT_STATUSES),
  rulesVersion: z.number().int(),
  requestedBy: z.string(),
  createdAt: timestamp,
  finishedAt: timestamp.optional(),
});
const reportView = reportSummary.extend({
  figures: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'archived figures: per enterprise, per region, totals (cut to what the reader may see)' }),
  followUps: z.array(
    z.looseObject({
      enterpriseId: z.string().optional(),
      action: z.string().optional(),
      taskId: z.string().optional(),
    }),
  ),
  pdf: z.string().optional().meta({ description: 'where the PDF is served, once rendered' }),
  progress: z.looseObject({}).optional().meta({ description: 'while running: the workflow’s progress' }),
});

export function reportsApi(s: Services) {
  const api = operations('reports');
  versionedPolicy(api, '/policies/report-rules', {
    form: reportRulesForm,
    current: () => s.reportRules.current(),
    store: (p, form, ip) => s.reportRules.set(p, form, ip),
    inForce:
      'The report rules in force (周报/月报 follow-up thresholds, seed 002 第二十九至三十一条), with their version',
    newVersion: 'A new version of the report rules (administrators); applies to report runs started after it',
  });
  api.get(
    '/key-targets',
    {
      summary:
        'The year’s key enforcement targets (年度执法检查重点对象, 002 第三十、三十一条) in your jurisdiction, with the months and reasons the monthly reports listed them',
      roles: ['admin', 'regulator'],
      query: keyTargetQuery,
      responses: { 200: { description: 'the yearly list, red and orange first', schema: z.array(keyTargetView) } },
    },
    (req, _res, input) => s.keyTargets.list(req.principal!, input.query().year),
  );
  api.post(
    '/key-targets/{year}/{enterpriseId}/inspection',
    {
      summary:
        'Schedule the on-site enforcement inspection (现场执法检查) of a key target: a task for the enterprise’s district industry regulator, once per year',
      roles: ['admin', 'regulator'],
      params: { year: 'the year of the list', enterpriseId: 'the enterprise' },
      body: inspectionForm,
      responses: { 201: { description: 'the task', schema: z.object({ taskId: z.string() }) } },
    },
    (req, _res, input) =>
      s.keyTargets.scheduleInspection(
        req.principal!,
        keyTargetQuery.parse({ year: req.params.year }).year,
        String(req.params.enterpriseId),
        input.body(),
        req.ip,
      ),
  );
  api.post(
    '/reports',
    {
      summary:
        'Run a weekly (周报) or monthly (月报) report for a past period (administrators); a period already reported needs rerun=true and becomes a new version',
      roles: ['admin'],
      body: reportRunForm,
      responses: { 202: { description: 'started', schema: z.object({ reportId: z.string() }) } },
    },
    (req, _res, input) => s.reports.run(req.principal!, input.body(), req.ip),
  );
  api.get(
    '/reports',
    {
      summary: 'Reports, newest first, without their figures (administrators and regulators)',
      roles: ['admin', 'regulator'],
      responses: { 200: { description: 'the runs', schema: z.array(reportSummary.extend({ pdf: z.boolean() })) } },
    },
    (_req) => s.reports.list(),
  );
  // Each reader its part: an enterprise its own line, a regulator its jurisdiction's (reports/service.ts).
  api.get(
    '/reports/{id}',
    {
      summary: 'One report: status, progress while running, archived figures and follow-ups',
      route: new RegExp(`^\\/reports\\/(${reportId})$`),
      params: { id: 'report/<kind>/<periodStart>/v<n> (slashes unescaped)' },
      responses: { 200: { description: 'the report', schema: reportView } },
    },
    (req) => s.reports.get(req.principal!, (req.params as Record<string, string>)[0]),
  );
  api.get(
    '/reports/{id}/pdf',
    {
      summary: 'The report’s PDF (Chinese, embedded Noto Sans SC), once rendered',
      route: new RegExp(`^\\/reports\\/(${reportId})\\/pdf$`),
      params: { id: 'report/<kind>/<periodStart>/v<n> (slashes unescaped)' },
      responses: { 200: { description: 'the PDF', file: 'application/pdf' } },
    },
    async (req, res) => {
      const pdf = await s.reports.pdf(req.principal!, (req.params as Record<string, string>)[0]);
      res.type('application/pdf').download(pdf.path, pdf.name, { dotfiles: 'allow' }); // under .data/
    },
  );
  return api.router;
}
