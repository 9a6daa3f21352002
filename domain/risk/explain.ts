/**
 * The plain explanation of the risk model 风险指数说明, generated from the rule data (zh-CN first, English):
 * the page regulators read, and the lines an enterprise reads beside its own composition. Never restated by
 * hand — change the rules and the explanation follows. Pure.
 */
import { LEVELS, LEVEL_RISK_ZH, LEVEL_ZH } from '../cases';
import { durationZh } from '../durations';
import { citationText } from '../indicators/sources';
import { FACTORS, FACTOR_GROUPS, FACTOR_GROUP_NAMES, FACTOR_IDS, type FactorId } from './factors';
import type { RiskIndex } from './model';
import { SEED_GIVEN_FIGURES, type RiskRules, type RuleGroup } from './rules';

export const RULE_GROUP_NAMES: Record<RuleGroup, { zh: string; en: string }> = {
  dust_explosion: { zh: '粉尘涉爆企业', en: 'dust-explosion enterprises' },
  hazardous_chemicals: { zh: '危险化学品企业', en: 'hazardous-chemical enterprises' },
  steel: { zh: '钢铁企业', en: 'steel enterprises' },
  aluminium_casting: { zh: '铝加工（深井铸造）企业', en: 'aluminium deep-well casting enterprises' },
  other: { zh: '其他行业企业', en: 'enterprises of other industries' },
};

export interface Explanation {
  zh: string[];
  en: string[];
}

/** A share as a percentage for people (0.07 → 7, not 7.000000000000001). */
const percent = (share: number) => Math.round(share * 10000) / 100;

const EN_LEVEL: Record<(typeof LEVELS)[number], string> = {
  red: 'red (major risk)',
  orange: 'orange (considerable risk)',
  yellow: 'yellow (general risk)',
  blue: 'blue (low risk)',
};

function howRead(factor: FactorId, rules: RiskRules, group: RuleGroup): { zh: string; en: string } {
  const def = FACTORS[factor];
  const at = rules.groups[group].factors[factor].saturateAt;
  switch (def.reading) {
    case 'scale': {
      const table =
        factor === 'declared_grade'
          ? rules.scales.declaredGrade
          : factor === 'dust_type'
            ? rules.scales.dustType
            : rules.scales.size;
      const pairs = Object.entries(table).map(([k, v]) => `${k} ${v}`);
      return { zh: `按对照表取值：${pairs.join('，')}`, en: `from the table: ${pairs.join(', ')}` };
    }
    case 'count':
      return {
        zh: `达到${at}${def.measured.zh}及以上计满分，按比例递减`,
        en: `full at ${at} ${def.measured.en} or more, in proportion below`,
      };
    case 'offline_share':
      return {
        zh: `离线比例达到${percent(at ?? 0)}%及以上计满分，按比例递减`,
        en: `full at an offline share of ${percent(at ?? 0)} % or more, in proportion below`,
      };
    case 'shortfall':
      return { zh: '按计划未完成的打卡比例计', en: 'the share of planned check-ins not done' };
  }
}

/** The explanation page of one rule group's model: factors and weights, bands, damping, and where each comes from. */
export function explainRules(rules: RiskRules, group: RuleGroup): Explanation {
  const g = rules.groups[group];
  const name = RULE_GROUP_NAMES[group];
  const zh: string[] = [`${name.zh}风险指数说明（规则第${rules.version}版）`];
  const en: string[] = [`How the risk index of ${name.en} is computed (rules version ${rules.version})`];
  zh.push(`风险指数满分100分，由以下因素按权重相加；报警和现场管理数据取最近${durationZh(rules.window)}。`);
  en.push(
    `The index is out of 100: the weighted sum of the factors below; alarm and site figures cover the last ${rules.window}.`,
  );
  for (const fg of FACTOR_GROUPS) {
    const ids = FACTOR_IDS.filter((f) => FACTORS[f].group === fg && g.factors[f].weight > 0);
    if (ids.length === 0) continue;
    const points = ids.reduce((s, f) => s + g.factors[f].weight, 0);
    zh.push(`${FACTOR_GROUP_NAMES[fg].zh}（共${points}分）：`);
    en.push(`${FACTOR_GROUP_NAMES[fg].en} (${points} points):`);
    for (const f of ids) {
      const def = FACTORS[f];
      const read = howRead(f, rules, group);
      const cites = def.sources.map(citationText).join('；');
      zh.push(`· ${def.zh}（权重${g.factors[f].weight}）：${read.zh}。依据：${cites}。`);
      en.push(
        `· ${def.en} (weight ${g.factors[f].weight}): ${read.en}. Source: ${def.sources.map(citationText).join('; ')}.`,
      );
    }
  }
  const bands = LEVELS.map((l) => `指数≥${g.bands[l]}为${LEVEL_ZH[l]}（${LEVEL_RISK_ZH[l]}风险）`);
  zh.push(`分级：${bands.join('；')}；低于${g.bands.blue}为正常范围，不产生预警（001 附件 二（一）2，001 二（四））。`);
  en.push(
    `Levels: ${LEVELS.map((l) => `${g.bands[l]} or more is ${EN_LEVEL[l]}`).join('; ')}; below ${g.bands.blue} is the normal range, no warning (001 附件 二（一）2, 001 二（四）).`,
  );
  zh.push(
    `防抖：等级须持续${durationZh(rules.damping.holdFor)}，才会产生、升级、降级预警或回归正常后消警（消警须企业反馈）。`,
  );
  en.push(
    `Damping: a level must hold for ${rules.damping.holdFor} before it raises, upgrades or downgrades a warning, or clears it once back to normal (clearing waits for the enterprise's feedback).`,
  );
  const seedFigures = SEED_GIVEN_FIGURES.map(
    (s) =>
      `${FACTORS[s.factor].zh}的满分点${s.factor === 'device_online_rate' ? `${percent(s.value)}%` : s.value}（${citationText(s.source)}）`,
  );
  zh.push(
    `来源说明：种子文件要求建立风险评估模型，但未给出权重和分级界限（003 五：运用专家分析法确定各指标权重和分值）。以上权重、满分点、分级界限和防抖时长均为 warnflow 默认值，由管理员调整；取自种子文件的只有：${seedFigures.join('，')}。`,
  );
  en.push(
    `Provenance: the seeds ask for a risk model but give no weights or bands (003 五: weights and scores set by expert analysis). The weights, saturation points, bands and hold time above are warnflow's defaults, set by the administrator; from the seeds come only: ${SEED_GIVEN_FIGURES.map((s) => `${FACTORS[s.factor].en} in full at ${s.factor === 'device_online_rate' ? `${percent(s.value)} %` : s.value} (${citationText(s.source)})`).join(', ')}.`,
  );
  return { zh, en };
}

/** An enterprise's own index in words: its score and level, then its factors, largest contribution first. */
export function explainIndex(index: RiskIndex): Explanation {
  const level = index.level;
  const zh = [
    `风险指数${index.score}，${level === 'normal' ? '正常范围' : `${LEVEL_ZH[level]}（${LEVEL_RISK_ZH[level]}风险）`}（规则第${index.rulesVersion}版）。`,
  ];
  const en = [
    `Risk index ${index.score}, ${level === 'normal' ? 'normal range' : EN_LEVEL[level]} (rules version ${index.rulesVersion}).`,
  ];
  const parts = index.components.filter((c) => c.contribution > 0).sort((a, b) => b.contribution - a.contribution);
  for (const c of parts) {
    zh.push(`· ${FACTORS[c.factor].zh}：${c.contribution}分（权重${c.weight}×${c.value}）。${c.howToLower.zh}`);
    en.push(
      `· ${FACTORS[c.factor].en}: ${c.contribution} points (weight ${c.weight} × ${c.value}). ${c.howToLower.en}`,
    );
  }
  return { zh, en };
}
