/** The report PDF: Chinese headings and enterprise names extracted with pdftotext (poppler-utils), the table header repeated on a new page. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { renderReportPdf } from '../../activities/reportPdf';
import type { ReportFigures } from '../../activities/reportFigures';

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
  totals: {
    enterprises: 45,
    dataOfflineRatePercent: 2.6,
    videoOfflineRatePercent: 0,
    alarms: 42,
    outOfRange: 0,
    frozen: 0,
  },
  previousTotals: { dataOfflineRatePercent: 3.1, videoOfflineRatePercent: 0, alarms: 40 },
};

describe('the report PDF', () => {
  it('carries the Chinese headings and enterprise names in an embedded font, with the table header repeated after a page break', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-pdf-')), 'weekly.pdf');
    await renderReportPdf({
      reportId: 'report/weekly/2026-11-16/v1',
      figures,
      followUps: [{ enterpriseId: 'e7', action: 'warning_notice', reason: '离线率 5.10% > 5%' }],
      outPath: out,
    });
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    for (const heading of [
      '安全生产风险监测周报',
      '一、总体情况',
      '二、后续处置',
      '三、企业离线情况',
      '四、在线率排名',
    ])
      expect(text).toContain(heading);
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

/** The fill colours (rg / scn operators) used in the PDF's content streams, as hex. */
function fillColours(file: string): Set<string> {
  const buf = fs.readFileSync(file);
  const out = new Set<string>();
  let i = 0;
  for (;;) {
    const s = buf.indexOf('stream\n', i);
    if (s < 0) break;
    const e = buf.indexOf('\nendstream', s);
    let text = '';
    try {
      text = zlib.inflateSync(buf.subarray(s + 7, e)).toString('latin1');
    } catch {
      text = buf.subarray(s + 7, e).toString('latin1');
    }
    for (const m of text.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) (?:rg|scn)/g))
      out.add(
        '#' +
          [m[1], m[2], m[3]]
            .map((x) =>
              Math.round(Number(x) * 255)
                .toString(16)
                .padStart(2, '0'),
            )
            .join(''),
      );
    i = e + 10;
  }
  return out;
}

describe('the monthly report PDF', () => {
  const levels = { red: 2, orange: 1, yellow: 3, blue: 4 };
  const monthly: ReportFigures = {
    ...figures,
    period: { kind: 'monthly', start: '2026-10-01', end: '2026-11-01', days: 31 },
    enterprises: figures.enterprises.map((e, i) => ({
      ...e,
      warnings: i % 2,
      score: 100 - i,
      rank: i + 1,
      yearScore: 90,
    })),
    totals: {
      ...figures.totals,
      alarmsRaised: 12,
      alarmsDisposed: 10,
      alarmsOverDeadline: 1,
      disposalMedianMinutes: 42,
      disposalAvgMinutes: 50,
      warnings: 10,
      warningsByLevel: levels,
      overdueWarnings: { red: 1, orange: 0, yellow: 0, blue: 0 },
      frequentWarningEnterprises: 1,
      openOnsiteSupervisions: 2,
      openInterviews: 1,
      meanScore: 78,
    },
    previousTotals: { ...figures.previousTotals!, alarmsRaised: 9, warnings: 12 },
    regions: Array.from({ length: 40 }, (_, i) => ({
      regionId: `d${i}`,
      regionName: `第${i}区`,
      regionKind: i === 0 ? 'city' : 'district',
      enterprises: 3,
      dataOfflineRatePercent: 2,
      videoOfflineRatePercent: 0,
      alarms: 0,
      outOfRange: 0,
      frozen: 0,
      warnings: i,
      cleaningCompliancePercent: null as never,
      disposalMedianMinutes: null as never,
      previous: { dataOfflineRatePercent: 3, videoOfflineRatePercent: 0 },
    })), // null: absent values read back from MongoDB
    bulletin: {
      top: [
        {
          rank: 1,
          enterpriseId: 'e0',
          enterpriseName: '华东精密铸造有限公司0',
          score: 100,
          yearScore: 90,
          offlineRatePercent: 1,
          warnings: 0,
        },
      ],
      bottom: [
        {
          rank: 45,
          enterpriseId: 'e44',
          enterpriseName: '华东精密铸造有限公司44',
          score: 56,
          yearScore: 60,
          offlineRatePercent: 4,
          warnings: 1,
        },
      ],
      regions: [
        {
          regionId: 'd1',
          regionName: '第1区',
          enterprises: 3,
          dataOfflineRatePercent: 2,
          videoOfflineRatePercent: 0,
          warnings: 1,
          meanScore: 80,
          rankByScore: 1,
          rankByOffline: 1,
          rankByWarnings: 1,
        },
      ],
      concentration: {
        byRegion: [
          { key: 'd1', name: '第1区', problemEnterprises: 3, warnings: 4, overdueWarnings: 1, sharePercent: 60 },
        ],
        byIndustry: [
          { key: 'steel', name: '钢铁', problemEnterprises: 5, warnings: 4, overdueWarnings: 1, sharePercent: 100 },
        ],
      },
      problemEnterprises: 5,
    },
  };

  it('draws warnings by level in the level colours, the trend, the region table across pages and the bulletin', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-pdf-')), 'monthly.pdf');
    await renderReportPdf({ reportId: 'report/monthly/2026-10-01/v1', figures: monthly, followUps: [], outPath: out });
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    for (const heading of [
      '安全生产风险监测月报',
      '预警等级分布',
      '本期与上期对比',
      '三、区域情况',
      '四、企业离线情况',
      '五、在线率排名',
      '六、月度通报',
      '（一）区域排名',
      '（二）企业排名（前十位）',
      '（三）企业排名（后十位）',
      '（四）问题集中区域与行业',
    ])
      expect(text).toContain(heading);
    expect(text).toMatch(/重大风险\s+2/);
    expect(text).toMatch(/风险预警 10 起（上期 12，下降 2）/);
    expect(text).toContain('处置时长中位数 42 分钟');
    expect(text).toMatch(/钢铁\s+5\s+100\.00%/);
    const regionPages = text.split('\f').filter((pg) => /第\d+区\s+3\s+2\.00%/.test(pg));
    expect(regionPages.length).toBeGreaterThanOrEqual(2);
    for (const pg of regionPages) expect(pg).toContain('数据离线率');
    const colours = fillColours(out);
    for (const c of ['#d9363e', '#f08c00', '#e6b800', '#1c7ed6']) expect(colours).toContain(c);
  });
});
