/**
 * The report as a PDF (pdfkit) in Chinese: Noto Sans SC shipped through npm
 * (@expo-google-fonts/noto-sans-sc, subset by pdfkit on embedding; no system font), a cover, a
 * summary with the trend against the previous period, vector charts (warnings by level in the level
 * colours, the trend, the online-rate ranking), tables that break across pages with their header row
 * repeated (regions, enterprises), and for a monthly report the bulletin (rankings, where problems
 * concentrate, scores).
 */
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { CJK_FONT, CJK_FONT_BOLD } from '../lib/cjkFont';
import { LEVELS, LEVEL_COLOURS, LEVEL_RISK_ZH } from '../domain/cases';
import { WORK_TYPES, WORK_TYPE_ZH } from '../domain/permits';
import { periodLastDay, type ReportFigures, type ReportTotals } from './reportFigures';

const KIND_TITLE = { weekly: '安全生产风险监测周报', monthly: '安全生产风险监测月报' } as const;
const ACTION = {
  warning_notice: '警示通报',
  interview: '约谈',
  region_interview: '约谈企业及属地',
  key_target: '重点执法对象',
} as Record<string, string>;

type Doc = InstanceType<typeof PDFDocument>;
interface Column {
  title: string;
  w: number;
}

// Figures read back from MongoDB carry null where a value was absent (no cleaning plan, no alarm closed).
const pct = (x: number | null | undefined) => (x == null ? '–' : `${x.toFixed(2)}%`);
const num = (x: number | null | undefined) => (x == null ? '–' : String(x));
/** Permits issued by work type, the types with any: `动火作业 2，吊装作业 1`. */
const permitTypesText = (t: ReportTotals) =>
  WORK_TYPES.filter((w) => t.permitsByType?.[w])
    .map((w) => `${WORK_TYPE_ZH[w]} ${t.permitsByType![w]}`)
    .join('，');
const sumLevels = (r?: Partial<Record<string, number>>) =>
  Object.values(r ?? {}).reduce<number>((s, n) => s + (n ?? 0), 0);

/** A table whose header row is drawn again at the top of each new page. */
function table(doc: Doc, cols: Column[], rows: string[][], opts: { rowH?: number; fontSize?: number } = {}) {
  const rowH = opts.rowH ?? 20;
  const fontSize = opts.fontSize ?? 10;
  const left = doc.page.margins.left;
  const width = cols.reduce((s, c) => s + c.w, 0);
  const header = () => {
    let x = left;
    const y = doc.y;
    doc.rect(left, y, width, rowH).fill('#e8eef7').fillColor('#000');
    doc.font('bold').fontSize(fontSize);
    for (const c of cols) {
      doc.text(c.title, x + 4, y + 5, { width: c.w - 8, lineBreak: false, ellipsis: true });
      x += c.w;
    }
    doc.y = y + rowH;
    doc.font('body').fontSize(fontSize);
  };
  if (doc.y + 2 * rowH > doc.page.height - doc.page.margins.bottom) doc.addPage();
  header();
  for (const cells of rows) {
    if (doc.y + rowH > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.fillColor('#000').text(c, x + 4, y + 5, { width: cols[i].w - 8, lineBreak: false, ellipsis: true });
      x += cols[i].w;
    });
    doc
      .moveTo(left, y + rowH)
      .lineTo(left + width, y + rowH)
      .lineWidth(0.5)
      .strokeColor('#cccccc')
      .stroke();
    doc.y = y + rowH;
  }
  doc.x = left;
  doc.moveDown(0.5);
}

function heading(doc: Doc, text: string, size = 14) {
  if (doc.y + 60 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.font('bold').fontSize(size).fillColor('#000').text(text, doc.page.margins.left).moveDown(0.3);
  doc.font('body').fontSize(11);
}

/** Horizontal bars, one per item, scaled to the largest value (or `max`). */
function bars(
  doc: Doc,
  items: { label: string; value: number; colour: string; text: string }[],
  opts: { max?: number; labelW?: number } = {},
) {
  const left = doc.page.margins.left;
  const labelW = opts.labelW ?? 140;
  const barMax = 300;
  const max = opts.max ?? Math.max(1, ...items.map((i) => i.value));
  doc.font('body').fontSize(9);
  if (doc.y + items.length * 20 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  let y = doc.y;
  for (const it of items) {
    doc.fillColor('#000').text(it.label, left, y + 3, { width: labelW - 10, lineBreak: false, ellipsis: true });
    const w = Math.max(1, (barMax * it.value) / max);
    doc.rect(left + labelW, y, w, 14).fill(it.colour);
    doc.fillColor('#000').text(it.text, left + labelW + 5 + w, y + 3, { lineBreak: false });
    y += 20;
  }
  doc.x = left;
  doc.y = y + 6;
}

function trendText(now: number | undefined, before: number | undefined, unit: string): string {
  if (now == null || before == null) return '';
  const d = now - before;
  const fmt = (x: number) => (unit === '%' ? x.toFixed(2) : String(Math.round(x * 10) / 10));
  return `（上期 ${fmt(before)}${unit === '%' ? '%' : ''}，${d === 0 ? '持平' : `${d > 0 ? '上升' : '下降'} ${fmt(Math.abs(d))}${unit === '%' ? ' 个百分点' : ''}`}）`;
}

export async function renderReportPdf(input: {
  reportId: string;
  figures: ReportFigures;
  followUps: { enterpriseId: string; action: string; reason: string; interviewCaseId?: string }[];
  outPath: string;
}): Promise<string> {
  const { figures: f } = input;
  await fs.promises.mkdir(path.dirname(input.outPath), { recursive: true });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: KIND_TITLE[f.period.kind], Author: 'warnflow' },
  });
  doc.registerFont('body', CJK_FONT);
  doc.registerFont('bold', CJK_FONT_BOLD);
  const out = fs.createWriteStream(input.outPath);
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  doc.pipe(out);
  const left = doc.page.margins.left;
  const lastDay = periodLastDay(f.period);
  const monthly = f.period.kind === 'monthly';
  const t: ReportTotals = f.totals;
  const p = f.previousTotals;

  // Cover
  doc.font('bold').fontSize(26).text(KIND_TITLE[f.period.kind], { align: 'center' }).moveDown(1);
  doc.font('body').fontSize(14).text(`统计周期：${f.period.start} 至 ${lastDay}（北京时间）`, { align: 'center' });
  doc.text(`报告编号：${input.reportId}`, { align: 'center' });

  // 一、Summary with the trend
  doc.addPage();
  doc.font('bold').fontSize(18).text('一、总体情况').moveDown(0.5);
  doc.font('body').fontSize(11);
  if (t.shouldConnectEnterprises !== undefined)
    doc.text(
      `应接入企业 ${t.shouldConnectEnterprises} 家，已接入 ${t.connectedEnterprises ?? 0} 家；应接入设备及视频通道 ${t.shouldConnectSources ?? 0} 个，已接入 ${t.connectedSources ?? 0} 个（应接尽接）。`,
    );
  if (t.lateReadings !== undefined)
    doc.text(
      `数据质量：报警期间上传间隔超过10秒的数据 ${t.slowAlarmReadings ?? 0} 条；企业端至平台传输时延超过2分钟的数据 ${t.lateReadings} 条，最大时延 ${t.latencyMaxSeconds ?? 0} 秒。`,
    );
  doc.text(
    `纳入统计企业 ${t.enterprises} 家；监测数据日均离线率 ${t.dataOfflineRatePercent.toFixed(2)}%${trendText(t.dataOfflineRatePercent, p?.dataOfflineRatePercent, '%')}；视频日均离线率 ${t.videoOfflineRatePercent.toFixed(2)}%${trendText(t.videoOfflineRatePercent, p?.videoOfflineRatePercent, '%')}。停用报备时段不计入离线。`,
  );
  if (t.alarmsRaised != null)
    doc.text(
      `监测报警 ${t.alarmsRaised} 起${trendText(t.alarmsRaised, p?.alarmsRaised, '')}，已处置 ${num(t.alarmsDisposed)} 起，处置时长中位数 ${num(t.disposalMedianMinutes)} 分钟、平均 ${num(t.disposalAvgMinutes)} 分钟，超期未处置 ${num(t.alarmsOverDeadline)} 起。`,
    );
  if (t.deviceFaults != null) doc.text(`设备故障 ${t.deviceFaults} 起，逾期未修复 ${num(t.deviceFaultsOverdue)} 起。`);
  if (t.warnings != null)
    doc.text(
      `风险预警 ${t.warnings} 起${trendText(t.warnings, p?.warnings, '')}（${LEVELS.map((l) => `${LEVEL_RISK_ZH[l]} ${t.warningsByLevel?.[l] ?? 0}`).join('，')}）；逾期预警 ${sumLevels(t.overdueWarnings)} 起；频发预警企业 ${num(t.frequentWarningEnterprises)} 家。`,
    );
  if (t.openOnsiteSupervisions != null)
    doc.text(`期末在办现场核查督办 ${t.openOnsiteSupervisions} 件、约谈 ${num(t.openInterviews)} 件。`);
  if (t.permits != null)
    doc.text(
      `特殊作业票签发 ${t.permits} 张${t.permits ? `（${permitTypesText(t)}）` : ''}；到期未验收 ${num(t.permitsExpired)} 张；作业违规报警 ${num(t.permitConductAlarms)} 起。`,
    );
  doc.text(
    `清扫打卡达标率 ${pct(t.cleaningCompliancePercent)}；超量程数据 ${t.outOfRange} 条，数据冻结 ${t.frozen} 次。`,
  );
  if (monthly && t.meanScore != null) doc.text(`企业月度平均得分 ${t.meanScore}。`);
  doc.moveDown(0.5);

  // Charts: warnings by level, trend
  heading(doc, '预警等级分布');
  bars(
    doc,
    LEVELS.map((l) => ({
      label: `${LEVEL_RISK_ZH[l]}风险`,
      value: t.warningsByLevel?.[l] ?? 0,
      colour: LEVEL_COLOURS[l],
      text: String(t.warningsByLevel?.[l] ?? 0),
    })),
    { labelW: 80 },
  );
  if (p) {
    heading(doc, '本期与上期对比');
    const pairs: [string, number | undefined, number | undefined, string][] = [
      ['数据离线率', t.dataOfflineRatePercent, p.dataOfflineRatePercent, '%'],
      ['视频离线率', t.videoOfflineRatePercent, p.videoOfflineRatePercent, '%'],
      ['监测报警', t.alarmsRaised, p.alarmsRaised, ''],
      ['风险预警', t.warnings, p.warnings, ''],
    ];
    for (const [label, now, before, unit] of pairs) {
      const max = Math.max(1, now ?? 0, before ?? 0);
      const fmt = (x?: number | null) => (x == null ? '–' : unit === '%' ? `${x.toFixed(2)}%` : String(x));
      bars(
        doc,
        [
          { label: `${label}（上期）`, value: before ?? 0, colour: '#adb5bd', text: fmt(before) },
          { label: `${label}（本期）`, value: now ?? 0, colour: '#1c7ed6', text: fmt(now) },
        ],
        { max, labelW: 120 },
      );
    }
  }

  // 二、Follow-ups
  heading(doc, '二、后续处置');
  const names = new Map(f.enterprises.map((e) => [e.enterpriseId, e.enterpriseName ?? e.enterpriseId]));
  if (!input.followUps.length) doc.text('本期无需后续处置。');
  // A follow-up linked to the interview already open for the same outage names that case instead of opening another.
  for (const fu of input.followUps)
    doc.text(
      `· ${names.get(fu.enterpriseId) ?? fu.enterpriseId}：${ACTION[fu.action] ?? fu.action}（${fu.reason}）${fu.interviewCaseId ? `，并入在办约谈 ${fu.interviewCaseId}` : ''}`,
    );
  doc.moveDown(0.5);

  // 三、Regions
  if (f.regions?.length) {
    doc.addPage();
    heading(doc, '三、区域情况');
    table(
      doc,
      [
        { title: '区域', w: 95 },
        { title: '企业数', w: 45 },
        { title: '数据离线率', w: 70 },
        { title: '较上期', w: 55 },
        { title: '视频离线率', w: 70 },
        { title: '报警', w: 40 },
        { title: '预警', w: 40 },
        { title: '逾期', w: 40 },
        { title: '打卡达标', w: 40 },
      ],
      f.regions.map((r) => [
        `${r.regionName ?? r.regionId}${r.regionKind === 'city' ? '（全市）' : ''}`,
        String(r.enterprises),
        pct(r.dataOfflineRatePercent),
        r.previous
          ? `${r.dataOfflineRatePercent - r.previous.dataOfflineRatePercent >= 0 ? '+' : ''}${(r.dataOfflineRatePercent - r.previous.dataOfflineRatePercent).toFixed(2)}`
          : '–',
        pct(r.videoOfflineRatePercent),
        num(r.alarmsRaised),
        num(r.warnings),
        String(sumLevels(r.overdueWarnings)),
        pct(r.cleaningCompliancePercent),
      ]),
      { fontSize: 9 },
    );
  }

  // 四、Enterprises (header row repeated on each page)
  doc.addPage();
  heading(doc, f.regions?.length ? '四、企业离线情况' : '三、企业离线情况');
  const cols: Column[] = [
    { title: '企业名称', w: 150 },
    { title: '数据离线率', w: 70 },
    { title: '视频离线率', w: 70 },
    { title: '最长离线(小时)', w: 80 },
    { title: '报警次数', w: 45 },
    { title: '预警', w: 35 },
    { title: monthly ? '得分' : '逾期', w: 45 },
  ];
  table(
    doc,
    cols,
    f.enterprises.map((e) => [
      e.enterpriseName ?? e.enterpriseId,
      `${e.dataOfflineRatePercent.toFixed(2)}%`,
      `${e.videoOfflineRatePercent.toFixed(2)}%`,
      e.longestOfflineHours.toFixed(1),
      String(e.alarmsRaised ?? e.alarms),
      num(e.warnings),
      monthly ? num(e.score) : String(sumLevels(e.overdueWarnings)),
    ]),
  );

  // 五、Online-rate ranking chart (lowest online rate first)
  doc.addPage();
  heading(doc, f.regions?.length ? '五、在线率排名（后十位）' : '四、在线率排名（后十位）');
  const ranked = [...f.enterprises]
    .map((e) => ({
      name: e.enterpriseName ?? e.enterpriseId,
      online: 100 - Math.max(e.dataOfflineRatePercent, e.videoOfflineRatePercent),
    }))
    .sort((a, b) => a.online - b.online)
    .slice(0, 10);
  bars(
    doc,
    ranked.map((r) => ({
      label: r.name,
      value: r.online,
      colour: r.online < 95 ? '#d9534f' : '#5b9bd5',
      text: `${r.online.toFixed(2)}%`,
    })),
    { max: 100 },
  );

  // 六、Monthly bulletin
  const b = f.bulletin;
  if (monthly && b) {
    doc.addPage();
    doc.font('bold').fontSize(18).text('六、月度通报', left).moveDown(0.5);
    doc
      .font('body')
      .fontSize(11)
      .text(
        `本月存在问题企业 ${b.problemEnterprises} 家。企业得分满分 100 分，扣分项：离线率、最长离线、预警、逾期预警、超期报警、清扫打卡；年度得分为本年各月得分平均。`,
      )
      .moveDown(0.5);
    heading(doc, '（一）区域排名');
    table(
      doc,
      [
        { title: '区域', w: 120 },
        { title: '企业数', w: 55 },
        { title: '平均得分', w: 65 },
        { title: '得分排名', w: 65 },
        { title: '离线率排名', w: 70 },
        { title: '预警排名', w: 60 },
        { title: '预警数', w: 60 },
      ],
      b.regions.map((r) => [
        r.regionName ?? r.regionId,
        String(r.enterprises),
        num(r.meanScore),
        String(r.rankByScore),
        String(r.rankByOffline),
        String(r.rankByWarnings),
        String(r.warnings),
      ]),
    );
    const entCols: Column[] = [
      { title: '排名', w: 45 },
      { title: '企业名称', w: 190 },
      { title: '月度得分', w: 65 },
      { title: '年度得分', w: 65 },
      { title: '离线率', w: 65 },
      { title: '预警', w: 65 },
    ];
    const entRow = (r: (typeof b.top)[number]) => [
      String(r.rank),
      r.enterpriseName ?? r.enterpriseId,
      String(r.score),
      num(r.yearScore),
      pct(r.offlineRatePercent),
      String(r.warnings),
    ];
    heading(doc, '（二）企业排名（前十位）');
    table(doc, entCols, b.top.map(entRow));
    if (b.bottom.length) {
      heading(doc, '（三）企业排名（后十位）');
      table(doc, entCols, b.bottom.map(entRow));
    }
    heading(doc, '（四）问题集中区域与行业');
    const conc = [
      ...b.concentration.byRegion.map((c) => ({ ...c, kind: '区域' })),
      ...b.concentration.byIndustry.map((c) => ({ ...c, kind: '行业' })),
    ];
    if (!conc.length) doc.text('本月无集中问题。');
    else
      table(
        doc,
        [
          { title: '类别', w: 50 },
          { title: '名称', w: 150 },
          { title: '问题企业', w: 75 },
          { title: '占比', w: 75 },
          { title: '预警', w: 70 },
          { title: '逾期预警', w: 75 },
        ],
        conc.map((c) => [
          c.kind,
          c.name ?? c.key,
          String(c.problemEnterprises),
          `${c.sharePercent.toFixed(2)}%`,
          String(c.warnings),
          String(c.overdueWarnings),
        ]),
      );
  }
  doc.end();
  await finished;
  return input.outPath;
}
