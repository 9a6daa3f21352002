/** The report PDF: Chinese headings and enterprise names extracted with pdftotext (poppler-utils), the table header repeated on a new page. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderReportPdf } from '../../activities/reportPdf';
import type { ReportFigures } from '../../activities/reports';

const figures: ReportFigures = {
  period: { kind: 'weekly', start: '2026-11-16', end: '2026-11-23', days: 7 },
  enterprises: Array.from({ length: 45 }, (_, i) => ({
    enterpriseId: `e${i}`,
    enterpriseName: `华东精密铸造有限公司${i}`,
    regionId: 'zone',
    dataOfflineRatePercent: i === 7 ? 5.1 : 1 + (i % 4),
    videoOfflineRatePercent: 0,
    longestOfflineHours: i === 9 ? 49 : 2,
    sensors: 2,
    videoChannels: 0,
    alarms: i % 3,
    outOfRange: 0,
    frozen: 0,
    longestSources: [],
  })),
  totals: { enterprises: 45, dataOfflineRatePercent: 2.6, videoOfflineRatePercent: 0, alarms: 42, outOfRange: 0, frozen: 0 },
  previousTotals: { dataOfflineRatePercent: 3.1, videoOfflineRatePercent: 0, alarms: 40 },
};

describe('the report PDF', () => {
  it('carries the Chinese headings and enterprise names in an embedded font, with the table header repeated after a page break', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-pdf-')), 'weekly.pdf');
    await renderReportPdf({ reportId: 'report/weekly/2026-11-16/v1', figures, followUps: [{ enterpriseId: 'e7', action: 'warning_notice', reason: '离线率 5.10% > 5%' }], outPath: out });
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    for (const heading of ['安全生产风险监测周报', '一、总体情况', '二、后续处置', '三、企业离线情况', '四、在线率排名']) expect(text).toContain(heading);
    expect(text).toContain('华东精密铸造有限公司0');
    expect(text).toContain('华东精密铸造有限公司44');
    expect(text).toMatch(/华东精密铸造有限公司7：警示通报/);
    const pages = text.split('\f');
    // Table rows: a name, then the data and the video offline rate.
    const tablePages = pages.filter((pg) => /华东精密铸造有限公司\d+\s+\d+\.\d\d%\s+\d+\.\d\d%/.test(pg));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const pg of tablePages) expect(pg).toContain('数据离线率');
    const fonts = execFileSync('pdffonts', [out], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansSC/);
    expect(fonts).toMatch(/yes\s+yes/); // embedded and subset
    expect(fs.statSync(out).size).toBeLessThan(1_000_000);
  });
});
