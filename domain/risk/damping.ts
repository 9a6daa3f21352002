/**
 * Damping 防抖: what the computed levels ask of the enterprise's risk warning. A level moves the warning only
 * once it has held for the rules' `damping.holdFor`: a jump (跳级, 001 附件 二（一）2) raises a warning at that
 * level or upgrades the open one, a fall downgrades it, back to normal (回归正常范围) clears it — the warning
 * workflow then waits for the enterprise's feedback before it closes (消警). Flapping inside the hold time moves
 * nothing. Pure: the caller sends the move to the warning workflow as its own message.
 */
import { durationZh, parseDuration } from '../durations';
import { LEVEL_ZH, type Level } from '../cases';
import { beijingDay, beijingParts, chineseDateTime } from '../time';
import type { RiskLevel } from './model';
import type { RiskRules } from './rules';

export type WarningMove = 'raise' | 'upgrade' | 'downgrade' | 'clear' | 'none';

/** One stored computation's level at its instant (ISO-8601). */
export interface LevelPoint {
  at: string;
  level: RiskLevel;
}

export interface WarningHistory {
  /** The enterprise's computations, any order; those after `now` are ignored. */
  computations: readonly LevelPoint[];
  /**
   * The open warning, when one is open. One a regulator raised by hand (`raisedBy: 'regulator'`) is only ever
   * upgraded by the model: the regulator's judgement is not downgraded or cleared by a lower score.
   */
  openWarning?: { level: Level; raisedBy?: 'model' | 'regulator' };
}

export interface WarningMoveDecision {
  move: WarningMove;
  /** raise / upgrade / downgrade: the level to move the warning to. */
  level?: Level;
  /** The level the computations hold now, and since when (the first computation of the latest run). */
  current?: { level: RiskLevel; since: string; held: boolean };
  reason: { zh: string; en: string };
}

const RANK: Record<RiskLevel, number> = { normal: 0, blue: 1, yellow: 2, orange: 3, red: 4 };
const NAME_ZH = (l: RiskLevel) => (l === 'normal' ? '正常' : LEVEL_ZH[l]);
/** An instant for the English reason, in Beijing time as every date written for people. */
function beijingEn(ms: number): string {
  const p = beijingParts(ms);
  return `${beijingDay(ms)} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')} Beijing time`;
}

export function nextWarningMove(
  history: WarningHistory,
  rules: Pick<RiskRules, 'damping'>,
  now: string | number,
): WarningMoveDecision {
  const nowMs = typeof now === 'number' ? now : Date.parse(now);
  const holdMs = parseDuration(rules.damping.holdFor);
  const points = history.computations
    .map((p) => ({ ...p, ms: Date.parse(p.at) }))
    .filter((p) => p.ms <= nowMs)
    .sort((a, b) => a.ms - b.ms);
  const last = points[points.length - 1];
  if (!last) return { move: 'none', reason: { zh: '尚无风险指数计算结果', en: 'no computation yet' } };
  let since = last;
  for (let i = points.length - 2; i >= 0 && points[i].level === last.level; i--) since = points[i];
  const held = nowMs - since.ms >= holdMs;
  const current = { level: last.level, since: since.at, held };
  const open = history.openWarning?.level;
  const want: WarningMove =
    open === undefined
      ? last.level === 'normal'
        ? 'none'
        : 'raise'
      : last.level === 'normal'
        ? 'clear'
        : RANK[last.level] > RANK[open]
          ? 'upgrade'
          : RANK[last.level] < RANK[open]
            ? 'downgrade'
            : 'none';
  if ((want === 'downgrade' || want === 'clear') && history.openWarning?.raisedBy === 'regulator')
    return {
      move: 'none',
      current,
      reason: {
        zh: '该预警由监管部门发起，模型只升级不降级',
        en: 'a warning raised by a regulator is only upgraded by the model',
      },
    };
  if (want === 'none')
    return {
      move: 'none',
      current,
      reason: { zh: `等级${NAME_ZH(last.level)}与当前预警一致`, en: `level ${last.level} matches the warning` },
    };
  if (!held)
    return {
      move: 'none',
      current,
      reason: {
        zh: `等级${NAME_ZH(last.level)}自${chineseDateTime(since.at)}起尚未持续${durationZh(rules.damping.holdFor)}（防抖）`,
        en: `level ${last.level} since ${beijingEn(since.ms)} has not held for ${rules.damping.holdFor} (damping)`,
      },
    };
  if (want === 'clear')
    return {
      move: 'clear',
      current,
      reason: {
        zh: '风险回归正常范围，待企业反馈后消警',
        en: 'back to the normal range: cleared after the enterprise’s feedback',
      },
    };
  const level = last.level as Level;
  return {
    move: want,
    level,
    current,
    reason: {
      zh: `风险等级${NAME_ZH(level)}已持续${durationZh(rules.damping.holdFor)}`,
      en: `level ${level} has held for ${rules.damping.holdFor}`,
    },
  };
}
