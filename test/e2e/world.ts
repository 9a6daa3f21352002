/**
 * A small world for the people's-side tests: one district with a zone, a dust-explosion regulator,
 * two enterprises (A inside the regulator's jurisdiction, B in another district), their users, and
 * a red risk-warning case of A with a feedback task for A and a tracking task for the regulator.
 * Plus a cookie-keeping page client that reads the CSRF token from forms.
 */
import { hashPassword } from '../../lib/passwords';
import type { Models } from '../../models';

export const PASSWORD = 'correct-horse-42';

export async function seedWorld(models: Models) {
  const now = Date.now();
  await models.Region.insertMany([
    { _id: 'city', name: '示例市', kind: 'city', path: ['city'] },
    { _id: 'east', name: '东区', kind: 'district', parentId: 'city', path: ['city', 'east'] },
    { _id: 'west', name: '西区', kind: 'district', parentId: 'city', path: ['city', 'west'] },
  ]);
  await models.Agency.insertMany([
    {
      _id: 'east-dust',
      name: '东区粉尘涉爆监管科',
      role: 'district_industry_regulator',
      regionId: 'east',
      industries: ['dust_explosion'],
      emails: ['east-dust@gov.test'],
    },
    {
      _id: 'west-dust',
      name: '西区粉尘涉爆监管科',
      role: 'district_industry_regulator',
      regionId: 'west',
      industries: ['dust_explosion'],
      emails: ['west-dust@gov.test'],
    },
  ]);
  const ent = (id: string, name: string, region: string, uscc: string, level?: string) => ({
    _id: id,
    name,
    uscc,
    regionId: region,
    regionPath: ['city', region],
    industry: 'dust_explosion',
    dustType: 'metal',
    dustWorkers: 40,
    size: 'small',
    inherentRisk: 'orange',
    contacts: [{ name: '张三', phone: '13800000000', title: '安全负责人' }],
    shouldConnect: true,
    connected: true,
    currentLevel: level,
    createdAt: new Date(now),
  });
  await models.Enterprise.insertMany([
    ent('ent-a', '甲金属制品有限公司', 'east', 'A1', 'red'),
    ent('ent-b', '乙木业有限公司', 'west', 'B1'),
  ]);
  await models.Device.create({
    _id: 'dev-a1',
    enterpriseId: 'ent-a',
    name: '1号除尘器',
    kind: 'dust_collector_sensor',
    system: '打磨除尘系统',
    status: 'active',
    indicators: [{ code: 'dp', name: '压差', kind: 'differential_pressure', unit: 'Pa', intervalSec: 60 }],
    createdAt: new Date(now),
  });
  await models.VideoChannel.create({
    _id: 'cam-a1',
    enterpriseId: 'ent-a',
    name: '打磨车间',
    intervalSec: 300,
    createdAt: new Date(now),
  });
  const hash = await hashPassword(PASSWORD);
  const user = (id: string, role: string, extra: Record<string, string>) => ({
    _id: id,
    displayName: id,
    role,
    passwordHash: hash,
    active: true,
    createdAt: new Date(now),
    ...extra,
  });
  await models.User.insertMany([
    user('admin1', 'admin', {}),
    user('reg-east', 'regulator', { agencyId: 'east-dust' }),
    user('reg-east2', 'regulator', { agencyId: 'east-dust' }),
    user('reg-west', 'regulator', { agencyId: 'west-dust' }),
    user('ent-a-user', 'enterprise', { enterpriseId: 'ent-a' }),
    user('ent-b-user', 'enterprise', { enterpriseId: 'ent-b' }),
  ]);
  const iso = (ms: number) => new Date(now + ms).toISOString();
  const caseA = 'risk-warning/ent-a';
  await models.CaseRecord.create({
    _id: caseA,
    type: 'risk_warning',
    enterpriseId: 'ent-a',
    regionPath: ['city', 'east'],
    industry: 'dust_explosion',
    trackingAgencyId: 'east-dust',
    title: '甲金属制品有限公司 红色预警',
    level: 'red',
    status: 'open',
    openedAt: new Date(now - 3600_000),
    nextDue: new Date(now + 2 * 3600_000),
    deadlines: [{ kind: 'feedback', due: iso(2 * 3600_000) }],
    timeline: [
      { key: 'opened', at: iso(-3600_000), kind: 'opened', actor: 'system' },
      { key: 'notified:1', at: iso(-3590_000), kind: 'notified', actor: 'system', recipients: ['ent-a'] },
    ],
    updatedAt: new Date(now),
  });
  await models.CaseRecord.create({
    _id: 'risk-warning/ent-b',
    type: 'risk_warning',
    enterpriseId: 'ent-b',
    regionPath: ['city', 'west'],
    industry: 'dust_explosion',
    trackingAgencyId: 'west-dust',
    title: '乙木业有限公司 黄色预警',
    level: 'yellow',
    status: 'open',
    openedAt: new Date(now - 7200_000),
    deadlines: [],
    timeline: [],
    updatedAt: new Date(now),
  });
  await models.Task.insertMany([
    {
      _id: `${caseA}/feedback`,
      caseId: caseA,
      caseType: 'risk_warning',
      kind: 'warning_feedback',
      title: '红色预警反馈',
      enterpriseId: 'ent-a',
      assigneeEnterpriseId: 'ent-a',
      due: new Date(now + 2 * 3600_000),
      status: 'open',
      form: 'warningFeedback',
      createdAt: new Date(now),
    },
    {
      _id: `${caseA}/track`,
      caseId: caseA,
      caseType: 'risk_warning',
      kind: 'onsite_record',
      title: '跟踪核查红色预警',
      enterpriseId: 'ent-a',
      assigneeAgencyId: 'east-dust',
      due: new Date(now - 600_000),
      status: 'open',
      form: 'onsiteRecord',
      createdAt: new Date(now),
    },
  ]);
  return { caseA, caseB: 'risk-warning/ent-b' };
}

/** A browser-like client over fetch: keeps the session cookie, finds the CSRF token in the last page. */
export class PageClient {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly baseUrl: string,
    readonly ip?: string,
  ) {}

  private headers(extra: Record<string, string> = {}) {
    const h: Record<string, string> = { accept: 'text/html', ...extra };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.ip) h['x-forwarded-for'] = this.ip;
    return h;
  }
  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair.split('=');
      this.cookies.set(k.trim(), v.join('='));
    }
  }
  async get(path: string): Promise<{ status: number; html: string; location?: string }> {
    const res = await fetch(this.baseUrl + path, { headers: this.headers(), redirect: 'manual' });
    this.keep(res);
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1];
    return { status: res.status, html, location: res.headers.get('location') ?? undefined };
  }
  async post(
    path: string,
    form: Record<string, string>,
    opts: { csrf?: string | null } = {},
  ): Promise<{ status: number; html: string; location?: string }> {
    const body = new URLSearchParams(form);
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) body.set('_csrf', token);
    const res = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body,
      redirect: 'manual',
    });
    this.keep(res);
    return { status: res.status, html: await res.text(), location: res.headers.get('location') ?? undefined };
  }
  async login(username: string, password = PASSWORD) {
    await this.get('/login');
    const r = await this.post('/login', { username, password });
    if (r.status !== 303) throw new Error(`login of ${username} failed: ${r.status} ${r.html.slice(0, 300)}`);
    await this.get('/');
    return r;
  }
}
