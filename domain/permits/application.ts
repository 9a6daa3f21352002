/**
 * The e-permit (电子作业票) an enterprise fills, and its checks: the type and level, place and window, the
 * hazards identified, the safety-measure checklist of its type, gas analyses (time, place, analyst,
 * values), workers with certificate numbers, the guardian, and who signs each step. Pure.
 */
import { parseDuration, durationZh } from '../durations';
import { citationOf } from './clauses';
import type { PermitRule } from './rules';
import {
  LEVELS_OF,
  PermitLevel,
  SignOffRole,
  UPGRADE_REASONS,
  UpgradeReason,
  WorkType,
  isPermitLevel,
  isWorkType,
} from './workTypes';

export interface GasReading {
  /** e.g. 可燃气体 (LEL %), 氧气, 硫化氢 */
  substance: string;
  value: number;
  unit: string;
}
export interface GasAnalysis {
  /** When the sample was taken (ISO-8601 instant). */
  at: string;
  place: string;
  analyst: string;
  readings: GasReading[];
  /** The analyst's verdict against the standard's acceptance values (合格). */
  qualified: boolean;
}
export interface PermitWorker {
  name: string;
  /** 特种作业操作证 number. */
  certificateNo: string;
}
export interface PermitGuardian {
  name: string;
  /** The enterprise user who checks in as guardian. */
  userId: string;
  certificateNo?: string;
}
export interface PermitSigner {
  role: SignOffRole;
  /** The enterprise user who signs this step. */
  userId: string;
  name: string;
}
export interface SafetyMeasure {
  item: string;
  /** Whether the measure applies to this work (是否涉及). */
  applies: boolean;
  /** Who confirmed it on site (确认人); required when it applies. */
  confirmedBy?: string;
}

export interface PermitApplication {
  enterpriseId: string;
  type: WorkType;
  /** The level the place gives (before any upgrade). */
  level: PermitLevel;
  upgradeReasons: UpgradeReason[];
  place: string;
  content: string;
  validFrom: string;
  validTo: string;
  hazards: string[];
  measures: SafetyMeasure[];
  gasAnalyses: GasAnalysis[];
  workers: PermitWorker[];
  guardian: PermitGuardian;
  signers: PermitSigner[];
  /** The enterprise user who applied. */
  appliedBy: string;
}

/**
 * The safety-measure checklist of each type (附录A, summarised): every item must be answered (applies or
 * not) and every item that applies confirmed by a named person.
 */
export const SAFETY_MEASURES: Record<WorkType, readonly string[]> = {
  hot_work: [
    '动火设备已清洗、置换合格',
    '相连管线已断开并加盲板隔离',
    '动火点周围易燃物已清除或隔离',
    '乙炔瓶、氧气瓶间距及与火源距离符合要求',
    '现场已配备灭火器材',
    '已配备移动式可燃气体检测仪',
    '特级动火已配备防爆摄录设备',
    '已设立警戒区并完成安全交底',
  ],
  confined_space: [
    '与受限空间相连的管线已加盲板隔离',
    '已置换、吹扫或蒸煮',
    '已通风（不充纯氧或富氧空气）',
    '转动设备已断电、加锁、挂牌',
    '已配备移动式气体检测仪并连续检测',
    '已配备救生绳、气防装备等应急设施',
    '已配备通信设备，出入口设警戒区',
  ],
  blind_plate: ['已绘制盲板位置图并编号', '系统压力已降至常压或微正压', '同一管道无两处以上同时抽堵', '已设警戒区'],
  work_at_height: [
    '安全带、安全绳符合要求',
    '脚手架、防护设施符合要求',
    '垂直分层作业已设隔离设施',
    '风力、照明满足作业要求',
  ],
  lifting: ['吊装机具已检查', '已明确指挥与联络信号', '吊物质量在额定能力内', '作业范围内无架空线路，已设警戒区'],
  temporary_power: ['作业人员持电工证', '上级开关已断电、加锁、挂牌', '已装配漏电保护器', '防爆场所电器达到防爆要求'],
  excavation: ['地下电缆、管线已确认并保护', '已放坡或支撑', '已设警示标志和夜间警示灯'],
  road_breaking: ['已制定交通组织方案并通知相关部门', '已设交通警示设施', '夜间已设警示灯'],
};

export interface ApplicationProblem {
  field: string;
  message: string;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isInstant = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export function gasAnalysisProblems(a: GasAnalysis, f: string): ApplicationProblem[] {
  const out: ApplicationProblem[] = [];
  if (!isInstant(a?.at)) out.push({ field: `${f}.at`, message: 'must be an ISO-8601 instant' });
  if (!nonEmpty(a?.place)) out.push({ field: `${f}.place`, message: 'must name where the sample was taken' });
  if (!nonEmpty(a?.analyst)) out.push({ field: `${f}.analyst`, message: 'must name the analyst' });
  if (!Array.isArray(a?.readings) || a.readings.length === 0)
    out.push({ field: `${f}.readings`, message: 'must give at least one reading' });
  else
    a.readings.forEach((r, i) => {
      if (!nonEmpty(r?.substance)) out.push({ field: `${f}.readings.${i}.substance`, message: 'must name the gas' });
      if (typeof r?.value !== 'number' || !Number.isFinite(r.value))
        out.push({ field: `${f}.readings.${i}.value`, message: 'must be a number' });
      if (!nonEmpty(r?.unit)) out.push({ field: `${f}.readings.${i}.unit`, message: 'must give the unit' });
    });
  if (typeof a?.qualified !== 'boolean') out.push({ field: `${f}.qualified`, message: 'must be true or false' });
  return out;
}

/**
 * What is wrong with an application under its rule (the rule of its managed level, see managedLevel).
 * The window may not exceed the rule's validity; every signer of the rule is named once.
 */
export function applicationProblems(app: PermitApplication, rule: PermitRule | undefined): ApplicationProblem[] {
  const out: ApplicationProblem[] = [];
  if (!isWorkType(app?.type)) return [{ field: 'type', message: 'is not a special-work type' }];
  if (!isPermitLevel(app.level) || !LEVELS_OF[app.type].includes(app.level))
    return [{ field: 'level', message: `must be one of ${LEVELS_OF[app.type].join(', ')} for ${app.type}` }];
  if (!rule) return [{ field: 'level', message: 'no rule for this type and level' }];
  if (
    !Array.isArray(app.upgradeReasons) ||
    app.upgradeReasons.some((r) => !(UPGRADE_REASONS as readonly string[]).includes(r))
  )
    out.push({ field: 'upgradeReasons', message: `must be a list of ${UPGRADE_REASONS.join(', ')}` });
  if (!nonEmpty(app.enterpriseId)) out.push({ field: 'enterpriseId', message: 'is required' });
  if (!nonEmpty(app.place)) out.push({ field: 'place', message: 'must name the place of the work' });
  if (!nonEmpty(app.content)) out.push({ field: 'content', message: 'must describe the work' });
  if (!isInstant(app.validFrom)) out.push({ field: 'validFrom', message: 'must be an ISO-8601 instant' });
  if (!isInstant(app.validTo)) out.push({ field: 'validTo', message: 'must be an ISO-8601 instant' });
  else if (isInstant(app.validFrom)) {
    const span = Date.parse(app.validTo) - Date.parse(app.validFrom);
    if (span <= 0) out.push({ field: 'validTo', message: 'must be after validFrom' });
    else if (rule.validity && span > parseDuration(rule.validity.value))
      out.push({
        field: 'validTo',
        message: `the permit may be valid at most ${durationZh(rule.validity.value)} (${citationOf(rule.validity.source)})`,
      });
  }
  if (!Array.isArray(app.hazards) || !app.hazards.some(nonEmpty))
    out.push({ field: 'hazards', message: 'must list the hazards identified' });
  const checklist = SAFETY_MEASURES[app.type];
  if (!Array.isArray(app.measures))
    out.push({ field: 'measures', message: 'must answer the safety-measure checklist' });
  else
    checklist.forEach((item) => {
      const i = app.measures.findIndex((m) => m?.item === item);
      if (i < 0) out.push({ field: 'measures', message: `must answer "${item}"` });
      else if (app.measures[i].applies && !nonEmpty(app.measures[i].confirmedBy))
        out.push({ field: `measures.${i}.confirmedBy`, message: `"${item}" applies: name who confirmed it` });
    });
  if (!Array.isArray(app.gasAnalyses))
    out.push({ field: 'gasAnalyses', message: 'must be a list (empty when none yet)' });
  else app.gasAnalyses.forEach((a, i) => out.push(...gasAnalysisProblems(a, `gasAnalyses.${i}`)));
  if (!Array.isArray(app.workers) || app.workers.length === 0)
    out.push({ field: 'workers', message: 'must name at least one worker' });
  else
    app.workers.forEach((w, i) => {
      if (!nonEmpty(w?.name)) out.push({ field: `workers.${i}.name`, message: 'is required' });
      if (!nonEmpty(w?.certificateNo))
        out.push({ field: `workers.${i}.certificateNo`, message: 'must give the certificate number' });
    });
  if (!nonEmpty(app.guardian?.name)) out.push({ field: 'guardian.name', message: 'must name the guardian (监护人)' });
  if (!nonEmpty(app.guardian?.userId)) out.push({ field: 'guardian.userId', message: 'must name the guardian’s user' });
  if (!Array.isArray(app.signers)) out.push({ field: 'signers', message: 'must name who signs each step' });
  else
    for (const role of rule.signOff.value) {
      const s = app.signers.filter((x) => x?.role === role);
      if (s.length !== 1 || !nonEmpty(s[0].userId) || !nonEmpty(s[0].name))
        out.push({ field: `signers.${role}`, message: `must name exactly one ${role} (user and name)` });
    }
  if (!nonEmpty(app.appliedBy)) out.push({ field: 'appliedBy', message: 'is required' });
  return out;
}
