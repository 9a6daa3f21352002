/**
 * The risk model (domain/risk): hand-computed indices per industry under warnflow's default rules, band
 * previews, damping of the warning moves, rule validation naming the field, the explanation generated from
 * the rules, and every factor's citation found in the seed text. Pure: no servers.
 */
import type { Level } from '../../domain/cases';
import { citationFoundIn, type SeedCitation } from '../../domain/indicators/sources';
import {
  DEFAULT_RISK_RULES,
  DISTRIBUTION_SOURCE,
  FACTORS,
  FACTOR_IDS,
  MODEL_SOURCES,
  RULE_GROUPS,
  SEED_GIVEN_FIGURES,
  bandPreview,
  computeRiskIndex,
  explainIndex,
  explainRules,
  levelDistribution,
  levelOf,
  nextWarningMove,
  previewRules,
  type LevelPoint,
  type RiskInputs,
  type RiskRules,
  type WarningMove,
} from '../../domain/risk';
import { riskRulesProblems } from '../../domain/risk/validate';
import { seedText } from '../helpers/seeds';

const rules = DEFAULT_RISK_RULES;
const clone = (r: RiskRules): RiskRules => JSON.parse(JSON.stringify(r)) as RiskRules;

const quiet = { open: 0, raised: 0, hoursInAlarm: 0, overdueDisposals: 0 };
const noSite = { cleaningDone: 0, cleaningPlanned: 0, openRectificationOrders: 0, overdueCases: 0, expiredPermits: 0 };

/** A metal-dust plant: 45 in dust work, medium, declared orange; one open alarm, 5 in the week, 6 h in alarm; 9 of 10 devices online; 20 of 28 check-ins; one overdue case. */
const dustPlant: RiskInputs = {
  industry: 'dust_explosion',
  dustType: 'metal',
  dustWorkers: 45,
  size: 'medium',
  declaredGrade: 'orange',
  alarms: { open: 1, raised: 5, hoursInAlarm: 6, overdueDisposals: 0 },
  devices: { expected: 10, online: 9 },
  site: { cleaningDone: 20, cleaningPlanned: 28, openRectificationOrders: 0, overdueCases: 1, expiredPermits: 3 },
};
/** A large chemical plant declared red: 3 open alarms, 12 in the window, 30 h in alarm, 2 disposals overdue; all online; 1 rectification open, 1 permit expired. */
const chemPlant: RiskInputs = {
  industry: 'hazardous_chemicals',
  dustWorkers: 0,
  size: 'large',
  declaredGrade: 'red',
  alarms: { open: 3, raised: 12, hoursInAlarm: 30, overdueDisposals: 2 },
  devices: { expected: 20, online: 20 },
  site: { ...noSite, openRectificationOrders: 1, expiredPermits: 1 },
};
const steelQuiet: RiskInputs = {
  industry: 'steel',
  dustWorkers: 0,
  size: 'small',
  declaredGrade: 'blue',
  alarms: quiet,
  devices: { expected: 8, online: 8 },
  site: noSite,
};
const steelWorst: RiskInputs = {
  industry: 'steel',
  dustWorkers: 0,
  size: 'large',
  declaredGrade: 'red',
  alarms: { open: 3, raised: 10, hoursInAlarm: 24, overdueDisposals: 3 },
  devices: { expected: 4, online: 0 },
  site: { ...noSite, openRectificationOrders: 3, overdueCases: 3, expiredPermits: 2 },
};
/** A medium casting plant declared yellow: 1 open alarm, 2 in the window, 3 h; 19 of 20 online (5 % offline). */
const castingPlant: RiskInputs = {
  industry: 'aluminium_casting',
  dustWorkers: 0,
  size: 'medium',
  declaredGrade: 'yellow',
  alarms: { open: 1, raised: 2, hoursInAlarm: 3, overdueDisposals: 0 },
  devices: { expected: 20, online: 19 },
  site: noSite,
};
/** A micro construction site declared yellow, nothing registered to report; its dust type is ignored (weight 0). */
const site: RiskInputs = {
  industry: 'construction',
  dustType: 'wood',
  dustWorkers: 12,
  size: 'micro',
  declaredGrade: 'yellow',
  alarms: quiet,
  devices: { expected: 0, online: 0 },
  site: noSite,
};

const contributions = (inputs: RiskInputs, r: RiskRules = rules) =>
  Object.fromEntries(computeRiskIndex(inputs, r).components.map((c) => [c.factor, c.contribution]));

describe('the risk index, hand-computed under the default rules', () => {
  test('dust-explosion plant: 51.4, yellow', () => {
    const index = computeRiskIndex(dustPlant, rules);
    // 10×0.75 + 8×1 + 7×min(1,45/30) + 5×0.75 + 10×1/3 + 8×5/10 + 7×6/24 + 10×0 + 10×min(1,0.1/0.05) + 12×(8/28) + 5×0 + 8×1/3 = 51.43
    expect(contributions(dustPlant)).toEqual({
      declared_grade: 7.5,
      dust_type: 8,
      dust_headcount: 7,
      size: 3.75,
      open_alarms: 3.33,
      alarm_count: 4,
      alarm_duration: 1.75,
      overdue_disposals: 0,
      device_online_rate: 10,
      cleaning_shortfall: 3.43,
      open_rectifications: 0,
      overdue_cases: 2.67,
    });
    expect([index.score, index.level, index.ruleGroup, index.rulesVersion]).toEqual([
      51.4,
      'yellow',
      'dust_explosion',
      1,
    ]);
    // expired permits weigh 0 for dust: left out of the composition.
    expect(index.components.map((c) => c.factor)).not.toContain('expired_permits');
    expect(index.components.find((c) => c.factor === 'device_online_rate')).toMatchObject({
      weight: 10,
      measured: 0.9,
      value: 1,
      contribution: 10,
      group: 'devices',
    });
    expect(index.components.find((c) => c.factor === 'cleaning_shortfall')).toMatchObject({
      measured: 0.7143,
      value: 0.2857,
      howToLower: FACTORS.cleaning_shortfall.howToLower,
    });
  });

  test('hazardous-chemical plant: 67.7, orange', () => {
    // 15×1 + 10×1 + 12×3/3 + 8×min(1,12/10) + 8×min(1,30/24) + 12×2/3 + 10×0 + 8×1/3 + 9×0 + 8×1/2 = 67.67
    expect(contributions(chemPlant)).toEqual({
      declared_grade: 15,
      size: 10,
      open_alarms: 12,
      alarm_count: 8,
      alarm_duration: 8,
      overdue_disposals: 8,
      device_online_rate: 0,
      open_rectifications: 2.67,
      overdue_cases: 0,
      expired_permits: 4,
    });
    const index = computeRiskIndex(chemPlant, rules);
    expect([index.score, index.level]).toEqual([67.7, 'orange']);
  });

  test('steel: quiet and declared blue is 8.8, normal; every factor in full is 100, red', () => {
    // 15×0.25 + 10×0.5 = 8.75 → 8.8
    expect([computeRiskIndex(steelQuiet, rules).score, computeRiskIndex(steelQuiet, rules).level]).toEqual([
      8.8,
      'normal',
    ]);
    expect([computeRiskIndex(steelWorst, rules).score, computeRiskIndex(steelWorst, rules).level]).toEqual([
      100,
      'red',
    ]);
  });

  test('aluminium casting: 31.6, blue (5 % offline counts in full: 002 第二十九条)', () => {
    // 15×0.5 + 10×0.75 + 12×1/3 + 8×2/10 + 8×3/24 + 12×0 + 10×min(1,0.05/0.05) = 7.5+7.5+4+1.6+1+10 = 31.6
    const index = computeRiskIndex(castingPlant, rules);
    expect([index.score, index.level, index.ruleGroup]).toEqual([31.6, 'blue', 'aluminium_casting']);
  });

  test('an industry without rules of its own uses the other group: 12.5, normal; nothing to report is not offline', () => {
    const index = computeRiskIndex(site, rules);
    expect([index.score, index.level, index.ruleGroup]).toEqual([12.5, 'normal', 'other']);
    expect(index.components.map((c) => c.factor)).not.toContain('dust_type');
    expect(index.components.find((c) => c.factor === 'device_online_rate')).toMatchObject({
      measured: 1,
      value: 0,
      contribution: 0,
    });
  });

  test('changed weights apply to the next computation, which records their version', () => {
    const v2 = clone(rules);
    v2.version = 2;
    v2.groups.dust_explosion.factors.open_alarms.weight = 20;
    v2.groups.dust_explosion.factors.cleaning_shortfall.weight = 2;
    expect(riskRulesProblems(v2)).toEqual([]);
    const index = computeRiskIndex(dustPlant, v2);
    // 51.43 − 3.33 + 6.67 − 3.43 + 0.57 = 51.90 → 51.9
    expect([index.score, index.rulesVersion]).toEqual([51.9, 2]);
    expect(computeRiskIndex(dustPlant, rules).rulesVersion).toBe(1);
  });
});

describe('bands', () => {
  test('a score at a band’s minimum is in that band; below blue is normal', () => {
    const bands = rules.groups.steel.bands;
    expect([0, 24.9, 25, 44.9, 45, 64.9, 65, 79.9, 80, 100].map((s) => levelOf(s, bands))).toEqual([
      'normal',
      'normal',
      'blue',
      'blue',
      'yellow',
      'yellow',
      'orange',
      'orange',
      'red',
      'red',
    ]);
  });

  test('band preview counts the enterprises each band would hold, before and after moving the bands', () => {
    const scores = [0, 12.5, 24.9, 25, 31.6, 45, 51.4, 67.7, 79.9, 80, 100];
    expect(bandPreview(scores, rules.groups.dust_explosion.bands)).toEqual({
      red: 2,
      orange: 2,
      yellow: 2,
      blue: 2,
      normal: 3,
    });
    expect(bandPreview(scores, { blue: 10, yellow: 30, orange: 50, red: 70 })).toEqual({
      red: 3,
      orange: 2,
      yellow: 2,
      blue: 3,
      normal: 1,
    });
  });

  test('previewing draft rules counts every enterprise per level and per rule group', () => {
    const preview = previewRules([dustPlant, chemPlant, steelQuiet, steelWorst, castingPlant, site], rules);
    expect(preview.total).toEqual({ red: 1, orange: 1, yellow: 1, blue: 1, normal: 2 });
    expect(preview.byGroup.steel).toEqual({ red: 1, orange: 0, yellow: 0, blue: 0, normal: 1 });
    const lower = clone(rules);
    lower.groups.steel.bands = { blue: 5, yellow: 45, orange: 65, red: 80 };
    expect(previewRules([steelQuiet], lower).byGroup.steel).toEqual({
      red: 0,
      orange: 0,
      yellow: 0,
      blue: 1,
      normal: 0,
    });
  });
});

describe('distribution for regulators', () => {
  test('enterprises per level in total, per industry and per region on their paths', () => {
    const rows = [
      {
        level: computeRiskIndex(dustPlant, rules).level,
        industry: 'dust_explosion' as const,
        regionPath: ['sz', 'sz-east', 'sz-east-park'],
      },
      {
        level: computeRiskIndex(chemPlant, rules).level,
        industry: 'hazardous_chemicals' as const,
        regionPath: ['sz', 'sz-east', 'sz-east-chem'],
      },
      { level: computeRiskIndex(steelQuiet, rules).level, industry: 'steel' as const, regionPath: ['sz', 'sz-west'] },
      { level: computeRiskIndex(steelWorst, rules).level, industry: 'steel' as const, regionPath: ['sz', 'sz-west'] },
    ];
    const d = levelDistribution(rows);
    expect(d.total).toEqual({ red: 1, orange: 1, yellow: 1, blue: 0, normal: 1 });
    expect(d.byIndustry).toEqual({
      dust_explosion: { red: 0, orange: 0, yellow: 1, blue: 0, normal: 0 },
      hazardous_chemicals: { red: 0, orange: 1, yellow: 0, blue: 0, normal: 0 },
      steel: { red: 1, orange: 0, yellow: 0, blue: 0, normal: 1 },
    });
    expect(d.byRegion.sz).toEqual(d.total);
    expect(d.byRegion['sz-east']).toEqual({ red: 0, orange: 1, yellow: 1, blue: 0, normal: 0 });
    expect(d.byRegion['sz-west-park']).toBeUndefined();
  });
});

describe('damping: a level must hold for PT30M before it moves the warning', () => {
  const at = (hhmm: string) => `2026-12-03T${hhmm}:00+08:00`;
  const min = 60_000;

  /** Calls nextWarningMove every minute from `from` to `to`, applying each move to the open warning as the workflow would. */
  function run(computations: LevelPoint[], from: string, to: string, open?: Level) {
    const moves: { at: number; move: WarningMove; level?: Level }[] = [];
    let openWarning: { level: Level } | undefined = open ? { level: open } : undefined;
    for (let t = Date.parse(at(from)); t <= Date.parse(at(to)); t += min) {
      const d = nextWarningMove({ computations, openWarning }, rules, t);
      if (d.move === 'none') continue;
      moves.push({ at: t, move: d.move, level: d.level });
      openWarning = d.move === 'clear' ? undefined : { level: d.level! };
    }
    return moves;
  }

  test('a jump to orange raises exactly one warning, once orange has held 30 minutes', () => {
    const computations = [
      { at: at('10:00'), level: 'normal' as const },
      { at: at('10:05'), level: 'orange' as const },
      { at: at('10:15'), level: 'orange' as const },
    ];
    expect(nextWarningMove({ computations }, rules, at('10:34'))).toMatchObject({
      move: 'none',
      current: { level: 'orange', since: at('10:05'), held: false },
    });
    expect(nextWarningMove({ computations }, rules, at('10:35'))).toMatchObject({ move: 'raise', level: 'orange' });
    expect(run(computations, '10:00', '12:00')).toEqual([
      { at: Date.parse(at('10:35')), move: 'raise', level: 'orange' },
    ]);
  });

  test('a rise above the open warning upgrades it; a fall downgrades it', () => {
    expect(
      nextWarningMove(
        { computations: [{ at: at('11:00'), level: 'red' }], openWarning: { level: 'yellow' } },
        rules,
        at('11:30'),
      ),
    ).toMatchObject({ move: 'upgrade', level: 'red' });
    const fall = [
      { at: at('10:00'), level: 'orange' as const },
      { at: at('11:00'), level: 'yellow' as const },
    ];
    expect(run(fall, '10:00', '13:00', 'orange')).toEqual([
      { at: Date.parse(at('11:30')), move: 'downgrade', level: 'yellow' },
    ]);
  });

  test('back to normal clears the warning once normal has held (the workflow then waits for feedback)', () => {
    const back = [
      { at: at('10:00'), level: 'yellow' as const },
      { at: at('12:00'), level: 'normal' as const },
    ];
    const d = nextWarningMove({ computations: back, openWarning: { level: 'yellow' } }, rules, at('12:30'));
    expect(d).toMatchObject({ move: 'clear', reason: { zh: '风险回归正常范围，待企业反馈后消警' } });
    expect(d.level).toBeUndefined();
  });

  test('a warning a regulator raised is upgraded by the model, never downgraded or cleared by it', () => {
    const byHand = { level: 'orange' as const, raisedBy: 'regulator' as const };
    expect(
      nextWarningMove(
        { computations: [{ at: at('10:00'), level: 'normal' }], openWarning: byHand },
        rules,
        at('11:00'),
      ),
    ).toMatchObject({ move: 'none', reason: { zh: '该预警由监管部门发起，模型只升级不降级' } });
    expect(
      nextWarningMove({ computations: [{ at: at('10:00'), level: 'yellow' }], openWarning: byHand }, rules, at('11:00'))
        .move,
    ).toBe('none');
    expect(
      nextWarningMove({ computations: [{ at: at('10:00'), level: 'red' }], openWarning: byHand }, rules, at('11:00')),
    ).toMatchObject({ move: 'upgrade', level: 'red' });
  });

  test('flapping inside the hold time moves nothing, with or without an open warning', () => {
    const flapping: LevelPoint[] = [];
    for (let m = 0; m <= 60; m += 10)
      flapping.push({
        at: new Date(Date.parse(at('10:00')) + m * min).toISOString(),
        level: m % 20 === 0 ? 'yellow' : 'normal',
      });
    expect(run(flapping, '10:00', '11:05')).toEqual([]);
    expect(run(flapping, '10:00', '11:05', 'yellow')).toEqual([]);
    const d = nextWarningMove({ computations: flapping }, rules, at('11:05'));
    expect(d.reason.zh).toBe('等级黄色自2026年12月3日 11:00起尚未持续30分钟（防抖）');
    expect(d.reason.en).toBe('level yellow since 2026-12-03 11:00 Beijing time has not held for PT30M (damping)');
  });

  test('a longer hold time is rule data; computations after now and an empty history move nothing', () => {
    const slow = { damping: { holdFor: 'PT2H' } };
    const jump = [{ at: at('10:00'), level: 'red' as const }];
    expect(nextWarningMove({ computations: jump }, slow, at('11:59')).move).toBe('none');
    expect(nextWarningMove({ computations: jump }, slow, at('12:00'))).toMatchObject({ move: 'raise', level: 'red' });
    expect(nextWarningMove({ computations: [{ at: at('13:00'), level: 'red' }] }, rules, at('12:00')).move).toBe(
      'none',
    );
    expect(nextWarningMove({ computations: [] }, rules, at('12:00')).move).toBe('none');
  });
});

describe('rules validation names the field', () => {
  test('the default rules are valid', () => {
    expect(riskRulesProblems(DEFAULT_RISK_RULES)).toEqual([]);
    for (const g of RULE_GROUPS)
      expect(FACTOR_IDS.reduce((s, f) => s + rules.groups[g].factors[f].weight, 0)).toBe(100);
  });

  test.each([
    [
      'a negative weight',
      (r: RiskRules) => (r.groups.steel.factors.open_alarms.weight = -1),
      'groups.steel.factors.open_alarms.weight',
    ],
    [
      'weights not adding up to 100',
      (r: RiskRules) => (r.groups.steel.factors.open_alarms.weight = 13),
      'groups.steel.factors',
    ],
    [
      'bands out of order',
      (r: RiskRules) => (r.groups.dust_explosion.bands.orange = 40),
      'groups.dust_explosion.bands.orange',
    ],
    ['a month as hold time', (r: RiskRules) => (r.damping.holdFor = 'P1M'), 'damping.holdFor'],
    ['a zero window', (r: RiskRules) => (r.window = 'PT0S'), 'window'],
    ['a scale above 1', (r: RiskRules) => (r.scales.size.large = 2), 'scales.size.large'],
    [
      'a weighted count without its saturation point',
      (r: RiskRules) => delete r.groups.hazardous_chemicals.factors.open_alarms.saturateAt,
      'groups.hazardous_chemicals.factors.open_alarms.saturateAt',
    ],
    ['a version below 1', (r: RiskRules) => (r.version = 0), 'version'],
    ['a missing group', (r: RiskRules) => delete (r.groups as Partial<RiskRules['groups']>).other, 'groups.other'],
  ])('%s', (_name, change, field) => {
    const r = clone(rules);
    change(r);
    expect(riskRulesProblems(r).map((p) => p.field)).toContain(field);
  });

  test('the message says what is wrong', () => {
    const r = clone(rules);
    r.groups.steel.factors.open_alarms.weight = 13;
    expect(riskRulesProblems(r)).toEqual([
      { field: 'groups.steel.factors', message: 'weights must add up to 100 (they add up to 101)' },
    ]);
    r.groups.steel.factors.open_alarms.weight = 12;
    r.groups.steel.bands.red = 60;
    expect(riskRulesProblems(r)).toEqual([
      { field: 'groups.steel.bands.red', message: 'must be above the orange band (65)' },
    ]);
    expect(riskRulesProblems(null)).toEqual([{ field: 'rules', message: expect.any(String) }]);
  });
});

describe('citations', () => {
  test('every factor, the model and the seed-given figures cite a clause found in the seed text', () => {
    const citations: SeedCitation[] = [
      DISTRIBUTION_SOURCE,
      ...MODEL_SOURCES,
      ...SEED_GIVEN_FIGURES.map((s) => s.source),
      ...FACTOR_IDS.flatMap((f) => FACTORS[f].sources),
    ];
    const texts = new Map<string, string>();
    const missing = citations.filter((c) => {
      if (!texts.has(c.seed)) texts.set(c.seed, seedText(c.seed));
      return !citationFoundIn(texts.get(c.seed)!, c);
    });
    expect(missing).toEqual([]);
    for (const f of FACTOR_IDS) expect(FACTORS[f].sources.length).toBeGreaterThan(0);
    expect(new Set(citations.map((c) => `${c.seed} ${c.clause}`))).toEqual(
      new Set([
        '001 附件 二（二）3',
        '001 附件 二（一）2',
        '001 附件 二（三）4',
        '001 二（四）',
        '003 四 三（一）2（2）',
        '003 四 三（一）2（3）',
        '003 五 一（二）2',
        '004 二',
        '001 一',
        '002 第二十九条',
        '001 附件 二（二）1',
        '001 附件 二（二）4',
        '001 二（三）',
        '004 三 4',
        '001 附件 二（二）5',
        '002 第三十条',
        '002 附件2 二（四）',
      ]),
    );
  });

  test('the seed-given figures are exactly the dust headcount of 30 (001 一) and the 5 % offline rate (002 第二十九条)', () => {
    expect(SEED_GIVEN_FIGURES.map((s) => [s.factor, s.value, `${s.source.seed} ${s.source.clause}`])).toEqual([
      ['dust_headcount', 30, '001 一'],
      ['device_online_rate', 0.05, '002 第二十九条'],
    ]);
    for (const s of SEED_GIVEN_FIGURES)
      for (const g of RULE_GROUPS) expect(rules.groups[g].factors[s.factor].saturateAt).toBe(s.value);
  });
});

describe('the explanation generated from the rules', () => {
  test('zh-CN first: heading, factors with weights and sources, bands, damping, provenance', () => {
    const { zh, en } = explainRules(rules, 'dust_explosion');
    expect(zh[0]).toBe('粉尘涉爆企业风险指数说明（规则第1版）');
    expect(zh[1]).toBe('风险指数满分100分，由以下因素按权重相加；报警和现场管理数据取最近7天。');
    expect(zh).toContain('固有风险（共30分）：');
    expect(zh).toContain(
      '· 涉粉作业人数（权重7）：达到30人及以上计满分，按比例递减。依据：001 一；001 附件 二（二）1。',
    );
    expect(zh).toContain('· 粉尘清扫打卡缺失（权重12）：按计划未完成的打卡比例计。依据：001 二（三）。');
    expect(zh).toContain(
      '分级：指数≥80为红色（重大风险）；指数≥65为橙色（较大风险）；指数≥45为黄色（一般风险）；指数≥25为蓝色（低风险）；低于25为正常范围，不产生预警（001 附件 二（一）2，001 二（四））。',
    );
    expect(zh).toContain('防抖：等级须持续30分钟，才会产生、升级、降级预警或回归正常后消警（消警须企业反馈）。');
    expect(zh[zh.length - 1]).toContain(
      '均为 warnflow 默认值，由管理员调整；取自种子文件的只有：涉粉作业人数的满分点30（001 一），设备在线率的满分点5%（002 第二十九条）。',
    );
    expect(en[0]).toBe('How the risk index of dust-explosion enterprises is computed (rules version 1)');
    expect(en).toContain(
      '· Device online rate (weight 10): full at an offline share of 5 % or more, in proportion below. Source: 001 附件 二（二）5; 002 第二十九条.',
    );
  });

  test('a factor weighing nothing in a group is not explained there; a changed weight is', () => {
    expect(explainRules(rules, 'hazardous_chemicals').zh.some((l) => l.includes('粉尘清扫打卡缺失'))).toBe(false);
    const v2 = clone(rules);
    v2.version = 2;
    v2.groups.steel.factors.open_alarms.weight = 20;
    v2.groups.steel.factors.size.weight = 2;
    const zh = explainRules(v2, 'steel').zh;
    expect(zh[0]).toBe('钢铁企业风险指数说明（规则第2版）');
    expect(zh).toContain(
      '· 当前未消除报警（权重20）：达到3条及以上计满分，按比例递减。依据：001 二（四）；004 二；001 二（三）。',
    );
  });

  test('an enterprise’s index in words: score, level, largest contribution first with how to lower it', () => {
    const { zh, en } = explainIndex(computeRiskIndex(dustPlant, rules));
    expect(zh[0]).toBe('风险指数51.4，黄色（一般风险）（规则第1版）。');
    expect(zh[1]).toBe(`· 设备在线率：10分（权重10×1）。${FACTORS.device_online_rate.howToLower.zh}`);
    expect(en[0]).toBe('Risk index 51.4, yellow (general risk) (rules version 1).');
    expect(zh).toHaveLength(1 + 10); // ten factors contribute (overdue disposals and rectifications add nothing)
  });
});
