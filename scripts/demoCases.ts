/**
 * Demo cases in progress, on the first run only (after the demo world is seeded): a district
 * regulator raises a red warning, opens an interview and schedules it (its notice is issued), and
 * opens a penalty and takes it to the advance notice — so the inbox, the case pages, the portal and
 * the documents show real work at once; and a few special-work permits in several states (scripts/demoPermits.ts). Everything goes through the public API, as a user would.
 */
import { connectDatabase, type Models } from '../models';
import type { AgencyDoc, EnterpriseDoc } from '../models/masterData';
import { pickAgency } from '../activities/monitoring';
import { DEMO_PASSWORD } from './demoWorld';
import { callApi } from './demoApi';
import { openDemoPermits } from './demoPermits';

type Say = (l: string) => void;

/** The answers this script reads: a token, a case id. */
interface ApiAnswer {
  token?: string;
  caseId?: string;
}

const api = (base: string, token: string | undefined, method: string, path: string, body?: unknown) =>
  callApi<ApiAnswer>(base, token, method, path, body);

/** Completes a task once its workflow has written it. */
async function complete(base: string, token: string, taskId: string, form: Record<string, unknown>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${base}/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ form }),
    });
    if (res.ok) return;
    if (res.status !== 404) throw new Error(`task ${taskId}: ${res.status} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`task ${taskId} never appeared`);
}

/**
 * The risk model scores the demo world from its simulated data on the first run: the worker's risk schedule fires
 * once when created (worker/riskSchedule.ts). Says the levels once they are stored (waits up to a minute); the model
 * raises the warnings of enterprises at a warning level once that level has held (PT30M by default, PT2M in the demo
 * world's rules: scripts/seed.ts, recomputed every 2 minutes: scripts/run.ts).
 */
async function reportDemoRisk(models: Models, say: Say): Promise<void> {
  const enterprises = await models.Enterprise.estimatedDocumentCount();
  const deadline = Date.now() + 60_000;
  let latest: { level: string }[] = [];
  while (Date.now() < deadline) {
    latest = await models.RiskComputation.find({ latest: true }, { level: 1 }).lean();
    if (latest.length >= enterprises) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const count = (l: string) => latest.filter((c) => c.level === l).length;
  say(
    `risk model: ${latest.length} of ${enterprises} enterprises scored (red ${count('red')}, orange ${count('orange')}, yellow ${count('yellow')}, blue ${count('blue')}, normal ${count('normal')}); the model raises, upgrades and clears their warnings once a level has held (2 min in the demo rules); see /risk`,
  );
}

export async function openDemoCases(mongodbUri: string, base: string, say: Say): Promise<void> {
  const { conn, models } = await connectDatabase(mongodbUri);
  try {
    const enterprises = await models.Enterprise.find({ industry: 'dust_explosion' })
      .sort({ _id: 1 })
      .limit(3)
      .lean<EnterpriseDoc[]>();
    if (enterprises.length < 3) return say('demo cases: fewer than three dust enterprises, none opened');
    const agencies = await models.Agency.find({}).lean<AgencyDoc[]>();
    const regulatorOf = async (e: EnterpriseDoc) => {
      const a = pickAgency(agencies, 'district_industry_regulator', e);
      const u = a && (await models.User.findOne({ agencyId: a._id, role: 'regulator' }).lean());
      if (!u) throw new Error(`no regulator user for ${e._id}`);
      return (await api(base, undefined, 'POST', '/api/v1/auth/token', { username: u._id, password: DEMO_PASSWORD }))
        .token!;
    };
    const [warned, interviewed, penalised] = enterprises;
    const t1 = await regulatorOf(warned);
    await api(base, t1, 'POST', '/api/v1/warnings', {
      enterpriseId: warned._id,
      level: 'red',
      reason: '演示：风险指数 91（粉尘浓度持续超限，除尘系统压差异常）',
    });

    const t2 = await regulatorOf(interviewed);
    const interview = await api(base, t2, 'POST', '/api/v1/interviews', {
      enterpriseId: interviewed._id,
      reason: '演示：监测设备离线超过2天',
    });
    const at = new Date(Date.now() + 2 * 86400_000).toISOString();
    await complete(base, t2, `${interview.caseId!}/schedule`, {
      scheduledAt: at,
      place: '区应急管理局三楼会议室',
      attendees: ['企业主要负责人', '安全管理负责人'],
    });

    const t3 = await regulatorOf(penalised);
    const penalty = await api(base, t3, 'POST', '/api/v1/penalties', {
      enterpriseId: penalised._id,
      violation: '演示：未对安全设备进行经常性维护、保养（除尘器泄爆片损坏未更换）',
    });
    await complete(base, t3, `${penalty.caseId!}/filing`, { summary: '现场复查发现泄爆片损坏逾期未整改，予以立案。' });
    await complete(base, t3, `${penalty.caseId!}/investigation`, {
      evidence: ['现场检查笔录', '复查照片3张', '设备维护记录'],
      proposedPenalty: '罚款人民币二万元',
    });
    say(
      `demo cases: a red warning (${warned.name}), an interview with its notice (${interviewed.name}), a penalty at its advance notice (${penalised.name})`,
    );
    await openDemoPermits(models, base, say);
    await reportDemoRisk(models, say);
  } finally {
    await conn.close();
  }
}
