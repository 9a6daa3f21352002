/**
 * The report as a PDF (pdfkit) in Chinese: Noto Sans SC shipped through npm
 * (@expo-google-fonts/noto-sans-sc, subset by pdfkit on embedding; no system font), a cover, a
 * summary, the enterprise table breaking across pages with its header row repeated, and a vector
 * online-rate ranking chart.
 */
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { ReportFigures } from './reports';

const FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

const KIND_TITLE = { weekly: '安全生产风险监测周报', monthly: '安全生产风险监测月报' } as const;

export async function renderReportPdf(input: { reportId: string; figures: ReportFigures; followUps: { enterpriseId: string; action: string; reason: string }[]; outPath: string }): Promise<string> {
  const { figures: f } = input;
  await fs.promises.mkdir(path.dirname(input.outPath), { recursive: true });
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: KIND_TITLE[f.period.kind], Author: 'warnflow' } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const out = fs.createWriteStream(input.outPath);
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  doc.pipe(out);
  const lastDay = new Date(Date.parse(f.period.end) - 86400_000).toISOString().slice(0, 10);

  // Cover
  doc.font('bold').fontSize(26).text(KIND_TITLE[f.period.kind], { align: 'center' }).moveDown(1);
  doc.font('body').fontSize(14).text(`统计周期：${f.period.start} 至 ${lastDay}（北京时间）`, { align: 'center' });
  doc.text(`报告编号：${input.reportId}`, { align: 'center' });

  // Summary
  doc.addPage();
  doc.font('bold').fontSize(18).text('一、总体情况').moveDown(0.5);
  const t = f.totals;
  const p = f.previousTotals;
  const trend = (now: number, before?: number) => (before === undefined ? '' : `（上期 ${before.toFixed(2)}%，${now >= before ? '上升' : '下降'} ${Math.abs(now - before).toFixed(2)} 个百分点）`);
  doc.font('body').fontSize(11);
  doc.text(`纳入统计企业 ${t.enterprises} 家；监测数据日均离线率 ${t.dataOfflineRatePercent.toFixed(2)}%${trend(t.dataOfflineRatePercent, p?.dataOfflineRatePercent)}；视频日均离线率 ${t.videoOfflineRatePercent.toFixed(2)}%${trend(t.videoOfflineRatePercent, p?.videoOfflineRatePercent)}。`);
  doc.text(`报警 ${t.alarms} 次；超量程数据 ${t.outOfRange} 条，数据冻结 ${t.frozen} 次。停用报备时段不计入离线。`).moveDown(0.5);
  doc.font('bold').fontSize(14).text('二、后续处置').moveDown(0.3);
  doc.font('body').fontSize(11);
  const ACTION = { warning_notice: '警示通报', interview: '约谈', region_interview: '约谈企业及属地', key_target: '重点执法对象' } as Record<string, string>;
  const names = new Map(f.enterprises.map((e) => [e.enterpriseId, e.enterpriseName ?? e.enterpriseId]));
  if (!input.followUps.length) doc.text('本期无需后续处置。');
  for (const fu of input.followUps) doc.text(`· ${names.get(fu.enterpriseId) ?? fu.enterpriseId}：${ACTION[fu.action] ?? fu.action}（${fu.reason}）`);

  // Table with the header row repeated on each page
  doc.addPage();
  doc.font('bold').fontSize(14).text('三、企业离线情况').moveDown(0.3);
  const cols = [
    { title: '企业名称', w: 170 },
    { title: '数据离线率', w: 75 },
    { title: '视频离线率', w: 75 },
    { title: '最长离线(小时)', w: 90 },
    { title: '报警次数', w: 85 },
  ];
  const rowH = 20;
  const left = doc.page.margins.left;
  const header = () => {
    let x = left;
    const y = doc.y;
    doc.rect(left, y, 495, rowH).fill('#e8eef7').fillColor('#000');
    doc.font('bold').fontSize(10);
    for (const c of cols) {
      doc.text(c.title, x + 4, y + 5, { width: c.w - 8, lineBreak: false });
      x += c.w;
    }
    doc.y = y + rowH;
  };
  header();
  doc.font('body').fontSize(10);
  for (const e of f.enterprises) {
    if (doc.y + rowH > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      header();
      doc.font('body').fontSize(10);
    }
    const y = doc.y;
    const cells = [e.enterpriseName ?? e.enterpriseId, `${e.dataOfflineRatePercent.toFixed(2)}%`, `${e.videoOfflineRatePercent.toFixed(2)}%`, e.longestOfflineHours.toFixed(1), String(e.alarms)];
    let x = left;
    cells.forEach((c, i) => {
      doc.text(c, x + 4, y + 5, { width: cols[i].w - 8, lineBreak: false, ellipsis: true });
      x += cols[i].w;
    });
    doc.moveTo(left, y + rowH).lineTo(left + 495, y + rowH).lineWidth(0.5).strokeColor('#cccccc').stroke();
    doc.y = y + rowH;
  }

  // Chart: online-rate ranking (lowest online rate first), horizontal bars
  doc.addPage();
  doc.font('bold').fontSize(14).text('四、在线率排名（后十位）', left).moveDown(0.5);
  const ranked = [...f.enterprises].map((e) => ({ name: e.enterpriseName ?? e.enterpriseId, online: 100 - Math.max(e.dataOfflineRatePercent, e.videoOfflineRatePercent) })).sort((a, b) => a.online - b.online).slice(0, 10);
  doc.font('body').fontSize(9);
  let y = doc.y;
  for (const r of ranked) {
    doc.fillColor('#000').text(r.name, left, y + 3, { width: 140, lineBreak: false, ellipsis: true });
    const w = Math.max(1, (300 * r.online) / 100);
    doc.rect(left + 150, y, w, 14).fill(r.online < 95 ? '#d9534f' : '#5b9bd5');
    doc.fillColor('#000').text(`${r.online.toFixed(2)}%`, left + 155 + w, y + 3, { lineBreak: false });
    y += 20;
  }
  doc.end();
  await finished;
  return input.outPath;
}
