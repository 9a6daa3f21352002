/**
 * Device faults 设备故障 in a weekly report (week of Monday 2026-11-16, Asia/Shanghai, i.e.
 * 2026-11-15T16:00Z – 2026-11-22T16:00Z), hand-counted, beside — not inside — the monitoring alarms:
 *  - 测试企业1: a fault 11-17 repaired in time, a fault 11-19 not repaired within its time (repair_overdue)
 *  - 测试企业2: a fault 11-21 (still open); outside the week: a fault 11-12 and a fault 11-24
 * → device faults 3, not repaired in time 1; the monitoring alarm figures are unchanged (0); in the figures and
 * the PDF's text.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { createReportActivities } from '../../activities/reports';
import { DEFAULT_REPORT_RULES } from '../../domain/reports/rules';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';

let stack: Stack;
const tag = 'rdf';
const ent = (n: number) => `${tag}-ent-${n}`;
const path = [`${tag}-city`, `${tag}-district`, `${tag}-zone`];
const reportsDir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'report-faults-'));

function faultCase(n: number, device: string, openedAt: string, overdue = false) {
  const at = new Date(openedAt);
  return {
    _id: `fault/${ent(n)}-${device}/lock_fault/${openedAt.replace(/[-:]/g, '')}`,
    type: 'device_fault',
    title: '设备故障',
    enterpriseId: ent(n),
    regionPath: path,
    industry: 'dust_explosion',
    status: 'open',
    openedAt: at,
    updatedAt: at,
    timeline: [
      { key: 'opened', at: openedAt, kind: 'opened', actor: 'system' },
      ...(overdue ? [{ key: 'repair_overdue', at: openedAt, kind: 'repair_overdue', actor: 'system' }] : []),
    ],
  };
}

beforeAll(async () => {
  stack = await startStack();
  await seedRegions(stack.models, tag);
  for (const n of [1, 2]) await seedEnterprise(stack.models, tag, n, { devices: 1 });
  await stack.models.CaseRecord.insertMany([
    faultCase(1, 'D0', '2026-11-17T02:00:00Z'),
    faultCase(1, 'D1', '2026-11-19T02:00:00Z', true),
    faultCase(2, 'D0', '2026-11-21T02:00:00Z'),
    faultCase(2, 'D1', '2026-11-12T02:00:00Z', true),
    faultCase(2, 'D2', '2026-11-24T02:00:00Z'),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(reportsDir, { recursive: true, force: true });
});

it('a weekly report counts the device faults raised and those not repaired in time, per enterprise and in total, beside the alarms; in the PDF', async () => {
  const a = createReportActivities(stack.models, { reportsDir });
  const reportId = 'report/weekly/2026-11-16/v1';
  await stack.models.Report.create({
    _id: reportId,
    kind: 'weekly',
    periodStart: '2026-11-16',
    periodEnd: '2026-11-23',
    version: 1,
    status: 'running',
    rulesVersion: 1,
    requestedBy: 'test',
    createdAt: new Date(),
  });
  await a.computeAndStoreFigures({ reportId, kind: 'weekly', periodStart: '2026-11-16', rules: DEFAULT_REPORT_RULES });
  const stored = (await stack.models.Report.findById(reportId).lean())!.figures as unknown as Awaited<
    ReturnType<typeof a.computeFigures>
  >;
  const rows = Object.fromEntries(stored.enterprises.map((r) => [r.enterpriseId, r]));
  expect([rows[ent(1)].deviceFaults, rows[ent(1)].deviceFaultsOverdue]).toEqual([2, 1]);
  expect([rows[ent(2)].deviceFaults, rows[ent(2)].deviceFaultsOverdue]).toEqual([1, undefined]);
  expect(stored.totals).toMatchObject({ deviceFaults: 3, deviceFaultsOverdue: 1, alarmsRaised: 0 });
  expect(stored.previousTotals).toMatchObject({ deviceFaults: 1, deviceFaultsOverdue: 1 });

  const pdf = await a.renderReportFile({ reportId });
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  expect(text).toContain('设备故障3起，逾期未修复1起。');
});
