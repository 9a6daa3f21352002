/**
 * Issue 16: the regulator's lists (inbox, spot check, cases and alarms, a report's table) download as Excel and
 * as CSV (UTF-8 with a BOM, so Excel opens the Chinese), with the page's filters, Chinese headers, Beijing times
 * and only the caller's jurisdiction. Read back with exceljs and a CSV parser.
 */
import ExcelJS from 'exceljs';
import { helpers } from '../../web/helpers';
import { PageClient, seedWorld } from '../e2e/world';
import { startStack, Stack } from '../helpers/stack';

let stack: Stack;
let east: PageClient;
let west: PageClient;
let admin: PageClient;
let entA: PageClient;
const REPORT = 'report/weekly/2026-11-02/v1';

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  const now = Date.now();
  // West's own work: never in east's files.
  await stack.models.Task.create({
    _id: 'risk-warning/ent-b/track',
    caseId: 'risk-warning/ent-b',
    caseType: 'risk_warning',
    kind: 'onsite_record',
    title: '跟踪核查黄色预警',
    enterpriseId: 'ent-b',
    assigneeAgencyId: 'west-dust',
    due: new Date(now + 3600_000),
    status: 'open',
    form: 'onsiteRecord',
    createdAt: new Date(now),
  });
  const alarm = (ent: string, region: string, name: string) => ({
    _id: `monitoring-alarm/${ent}/dev/dp`,
    type: 'monitoring_alarm',
    enterpriseId: ent,
    regionPath: ['city', region],
    industry: 'dust_explosion',
    title: `${name} 压差报警`,
    level: 'orange',
    status: 'open',
    openedAt: new Date(Date.parse('2026-12-01T02:05:00Z')),
    deadlines: [],
    timeline: [],
    updatedAt: new Date(now),
  });
  await stack.models.CaseRecord.insertMany([
    alarm('ent-a', 'east', '甲金属制品有限公司'),
    alarm('ent-b', 'west', '乙木业有限公司'),
  ]);
  const line = (enterpriseId: string, region: string, name: string, rate: number) => ({
    enterpriseId,
    enterpriseName: name,
    regionId: region,
    regionPath: ['city', region],
    industry: 'dust_explosion',
    dataOfflineRatePercent: rate,
    videoOfflineRatePercent: 0,
    longestOfflineHours: 12.5,
    sensors: 1,
    videoChannels: 1,
    alarms: 3,
    outOfRange: 0,
    frozen: 1,
    longestSources: [],
  });
  await stack.models.Report.create({
    _id: REPORT,
    kind: 'weekly',
    periodStart: '2026-11-02',
    periodEnd: '2026-11-09',
    version: 1,
    status: 'done',
    rulesVersion: 1,
    requestedBy: 'admin1',
    createdAt: new Date(),
    figures: {
      period: { kind: 'weekly', start: '2026-11-02', end: '2026-11-09', days: 7 },
      enterprises: [line('ent-a', 'east', '甲金属制品有限公司', 4.2), line('ent-b', 'west', '乙木业有限公司', 9.9)],
    },
    followUps: [],
  });
  [east, west, admin, entA] = [0, 1, 2, 3].map(() => new PageClient(stack.baseUrl));
  await east.login('reg-east');
  await west.login('reg-west');
  await admin.login('admin1');
  await entA.login('ent-a-user');
});
afterAll(async () => {
  await stack?.stop();
});

async function download(client: PageClient, path: string) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(stack.baseUrl + path, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

async function readXlsx(body: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** RFC 4180: quoted fields with doubled quotes, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r') continue;
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** An attribute as the browser reads it (Handlebars escapes = and &). */
const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

const INBOX_HEADERS = ['等级', '事项', '案件类型', '案件编号', '企业', '期限（北京时间）', '超期', '承办人'];

describe('the inbox', () => {
  it('downloads as Excel with Chinese headers, Beijing times and only my agency’s tasks', async () => {
    const res = await download(east, '/exports/inbox?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.disposition).toMatch(/^attachment; filename="inbox-\d{8}\.xlsx"; filename\*=UTF-8''/);
    const rows = await readXlsx(res.body);
    expect(rows[0]).toEqual(INBOX_HEADERS);
    const task = (await stack.models.Task.findById('risk-warning/ent-a/track').lean())!;
    expect(rows.slice(1)).toEqual([
      [
        '红色（重大）',
        '跟踪核查红色预警',
        '风险预警',
        'risk-warning/ent-a',
        '甲金属制品有限公司',
        helpers.date(task.due),
        '是',
      ],
    ]);
    expect(JSON.stringify(rows)).not.toContain('黄色预警');
  });

  it('downloads as CSV with a BOM, and the page’s filters apply', async () => {
    const res = await download(west, '/exports/inbox?format=csv');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/csv; charset=utf-8');
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(res.body.toString('utf8').slice(1));
    expect(rows[0]).toEqual(INBOX_HEADERS);
    expect(rows.slice(1).map((r) => r.slice(0, 5))).toEqual([
      ['黄色（一般）', '跟踪核查黄色预警', '风险预警', 'risk-warning/ent-b', '乙木业有限公司'],
    ]);
    // A filter on the case (level): west's case is yellow.
    const yellow = await download(west, '/exports/inbox?format=csv&level=yellow');
    expect(parseCsv(yellow.body.toString('utf8').slice(1)).map((r) => r[1])).toEqual(['事项', '跟踪核查黄色预警']);
    const red = await download(west, '/exports/inbox?format=csv&level=red');
    expect(parseCsv(red.body.toString('utf8').slice(1))).toEqual([INBOX_HEADERS]);
    // Only overdue ones: west's task is due in an hour.
    expect(
      parseCsv((await download(west, '/exports/inbox?format=csv&overdue=1')).body.toString('utf8').slice(1)),
    ).toEqual([INBOX_HEADERS]);
  });

  it('links both files from the inbox page, with the filters of the page', async () => {
    const html = decoded((await east.get('/inbox?caseType=risk_warning&overdue=1')).html);
    expect(html).toContain('href="/exports/inbox?caseType=risk_warning&overdue=1&format=xlsx"');
    expect(html).toContain('href="/exports/inbox?caseType=risk_warning&overdue=1&format=csv"');
  });

  it('refuses an unknown format naming the field', async () => {
    const res = await download(east, '/exports/inbox?format=pdf');
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('format');
  });
});

describe('the spot check', () => {
  it('downloads the search within the jurisdiction, filters applied', async () => {
    const res = await download(east, '/exports/spot-check?format=xlsx&industry=dust_explosion');
    expect(res.status).toBe(200);
    const rows = await readXlsx(res.body);
    expect(rows[0]).toEqual([
      '企业',
      '统一社会信用代码',
      '区域',
      '行业',
      '粉尘类型',
      '涉粉作业人数',
      '等级',
      '固有风险',
      '接入状态',
    ]);
    expect(rows.slice(1)).toEqual([
      ['甲金属制品有限公司', 'A1', '东区', '粉尘涉爆', '金属', 40, '红色（重大）', '橙色（较大）', '已接入'],
    ]);
    const adminRows = await readXlsx((await download(admin, '/exports/spot-check?format=xlsx&name=乙')).body);
    expect(adminRows.slice(1).map((r) => r[0])).toEqual(['乙木业有限公司']);
    expect((await download(entA, '/exports/spot-check?format=csv')).status).toBe(403);
  });

  it('links the files from the spot-check page once searched', async () => {
    const html = decoded((await east.get('/spot-check?level=red')).html);
    expect(html).toContain('href="/exports/spot-check?level=red&format=xlsx"');
  });
});

describe('cases and alarms', () => {
  it('the alarms list: the cases of type monitoring_alarm in my jurisdiction, opened in Beijing time', async () => {
    const res = await download(east, '/exports/cases?format=csv&type=monitoring_alarm');
    expect(res.status).toBe(200);
    const rows = parseCsv(res.body.toString('utf8').slice(1));
    expect(rows[0]).toEqual([
      '案件编号',
      '案件类型',
      '标题',
      '企业',
      '等级',
      '状态',
      '立案时间（北京时间）',
      '结案时间（北京时间）',
      '最近期限（北京时间）',
    ]);
    expect(rows.slice(1)).toEqual([
      [
        'monitoring-alarm/ent-a/dev/dp',
        '监测报警',
        '甲金属制品有限公司 压差报警',
        '甲金属制品有限公司',
        '橙色（较大）',
        '处理中',
        '2026-12-01 10:05:00',
        '',
        '',
      ],
    ]);
    const all = parseCsv((await download(admin, '/exports/cases?format=csv')).body.toString('utf8').slice(1));
    expect(
      all
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([
      'monitoring-alarm/ent-a/dev/dp',
      'monitoring-alarm/ent-b/dev/dp',
      'risk-warning/ent-a',
      'risk-warning/ent-b',
    ]);
    expect((await download(east, '/exports/cases?format=csv&level=purple')).status).toBe(400);
  });

  it('the dashboard links the case and alarm lists', async () => {
    const html = decoded((await east.get('/dashboard')).html);
    expect(html).toContain('href="/exports/cases?type=monitoring_alarm&format=xlsx"');
    expect(html).toContain('href="/exports/cases?status=open&format=xlsx"');
  });
});

describe('a report table', () => {
  it('holds the lines of my jurisdiction only', async () => {
    const res = await download(east, `/exports/report?id=${encodeURIComponent(REPORT)}&format=xlsx`);
    expect(res.status).toBe(200);
    const rows = await readXlsx(res.body);
    expect(rows[0]).toEqual([
      '企业',
      '区域',
      '行业',
      '数据离线率（%）',
      '视频离线率（%）',
      '单点最长离线（小时）',
      '报警',
      '超量程',
      '数值冻结',
    ]);
    expect(rows.slice(1)).toEqual([['甲金属制品有限公司', '东区', '粉尘涉爆', 4.2, 0, 12.5, 3, 0, 1]]);
    const whole = await readXlsx(
      (await download(admin, `/exports/report?id=${encodeURIComponent(REPORT)}&format=xlsx`)).body,
    );
    expect(whole.length).toBe(3);
    expect((await download(east, '/exports/report?id=none&format=xlsx')).status).toBe(404);
  });
});
