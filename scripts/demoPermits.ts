/**
 * Demo special-work permits (特殊作业票), on the first run only, through the public API as the enterprise's
 * user would: a level-1 hot-work permit in progress (its guardian's check-in falls due within the hour: left
 * alone it suspends and opens a conduct alarm), a confined-space permit waiting for its second signature, a
 * special-level hot-work permit (level 1 at night) issued and not started, a level-2 hot-work permit accepted
 * and closed. The demo enterprise's one user is named for every signature, the guardian too.
 */
import type { Models } from '../models';
import type { EnterpriseDoc } from '../models/masterData';
import {
  SAFETY_MEASURES,
  managedLevel,
  ruleOf,
  DEFAULT_PERMIT_POLICY,
  type PermitLevel,
  type UpgradeReason,
  type WorkType,
} from '../domain/permits';
import { DEMO_PASSWORD } from './demoWorld';
import { callApi } from './demoApi';

type Say = (l: string) => void;

const call = callApi;

function ePermit(
  user: string,
  type: WorkType,
  level: PermitLevel,
  upgradeReasons: UpgradeReason[],
  place: string,
  content: string,
  hours: number,
) {
  const now = Date.now();
  const rule = ruleOf(DEFAULT_PERMIT_POLICY, type, managedLevel(type, level, upgradeReasons))!;
  return {
    type,
    level,
    upgradeReasons,
    place,
    content,
    validFrom: new Date(now - 60_000).toISOString(),
    validTo: new Date(now + hours * 3600_000).toISOString(),
    hazards: type === 'confined_space' ? ['缺氧窒息', '有毒气体'] : ['可燃气体泄漏', '火花飞溅引燃'],
    measures: SAFETY_MEASURES[type].map((item) => ({ item, applies: true, confirmedBy: '安全员' })),
    gasAnalyses: rule.analysisMaxAge
      ? [
          {
            at: new Date(now - 5 * 60_000).toISOString(),
            place: `${place}（代表性取样点）`,
            analyst: '化验员',
            readings: [
              { substance: '可燃气体', value: 0.1, unit: '%LEL' },
              { substance: '氧气', value: 20.8, unit: '%' },
            ],
            qualified: true,
          },
        ]
      : [],
    workers: [{ name: '王师傅', certificateNo: 'T120101198001010011' }],
    guardian: { name: '监护人赵', userId: user },
    signers: rule.signOff.value.map((role) => ({ role, userId: user, name: `演示-${role}` })),
  };
}

export async function openDemoPermits(models: Models, base: string, say: Say): Promise<void> {
  const chemical = await models.Enterprise.find({ industry: 'hazardous_chemicals' })
    .sort({ _id: 1 })
    .limit(3)
    .lean<EnterpriseDoc[]>();
  if (chemical.length < 3)
    return say('demo permits: fewer than three hazardous-chemical enterprises, none applied for');
  const tokenOf = async (e: EnterpriseDoc) => {
    const u = await models.User.findOne({ enterpriseId: e._id, role: 'enterprise' }).lean();
    if (!u) throw new Error(`no enterprise user for ${e._id}`);
    return {
      user: u._id,
      token: (
        await call<{ token: string }>(base, undefined, 'POST', '/api/v1/auth/token', {
          username: u._id,
          password: DEMO_PASSWORD,
        })
      ).token,
    };
  };
  const apply = async (
    who: { user: string; token: string },
    type: WorkType,
    level: PermitLevel,
    upgrades: UpgradeReason[],
    place: string,
    content: string,
    hours: number,
  ) =>
    (
      await call<{ permitId: string }>(
        base,
        who.token,
        'POST',
        '/api/v1/permits',
        ePermit(who.user, type, level, upgrades, place, content, hours),
      )
    ).permitId;
  const step = (who: { token: string }, id: string, s: string, body: unknown = {}) =>
    call(base, who.token, 'POST', `/api/v1/permits/${id}/${s}`, body);
  const signAll = async (
    who: { token: string },
    id: string,
    type: WorkType,
    level: PermitLevel,
    upgrades: UpgradeReason[],
    upTo?: number,
  ) => {
    const roles = ruleOf(DEFAULT_PERMIT_POLICY, type, managedLevel(type, level, upgrades))!.signOff.value;
    for (const role of roles.slice(0, upTo ?? roles.length)) await step(who, id, 'sign-off', { role, approve: true });
  };
  const [a, b, c] = await Promise.all(chemical.map(tokenOf));

  const inProgress = await apply(a, 'hot_work', 'level1', [], '罐区 T-101 进料管线', '更换进料阀法兰（电焊）', 6);
  await signAll(a, inProgress, 'hot_work', 'level1', []);
  await step(a, inProgress, 'start');
  await step(a, inProgress, 'check-in');

  const signing = await apply(b, 'confined_space', 'single', [], '反应釜 R-201 内部', '清理釜内残渣', 8);
  await signAll(b, signing, 'confined_space', 'single', [], 1);

  const special = await apply(a, 'hot_work', 'level1', ['night'], '装置区管廊 P-3', '夜间抢修蒸汽伴热管线（气割）', 6);
  await signAll(a, special, 'hot_work', 'level1', ['night']);

  const closed = await apply(c, 'hot_work', 'level2', [], '维修车间外固定检修点', '支架焊接', 24);
  await signAll(c, closed, 'hot_work', 'level2', []);
  await step(c, closed, 'start');
  await step(c, closed, 'finish');
  await step(c, closed, 'acceptance', { note: '现场已清理，验收合格' });

  say(
    `demo permits: hot work in progress and a special-level one issued (${chemical[0].name}), confined space awaiting its second signature (${chemical[1].name}), hot work accepted and closed (${chemical[2].name})`,
  );
}
