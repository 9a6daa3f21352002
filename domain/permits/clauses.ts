/**
 * The clauses of GB 30871-2022 (危险化学品企业特殊作业安全规范) that the permit rules encode, in our own
 * words (a summary of the requirement, not the standard's text). Every rule value in rules.ts names one
 * of these ids, or says it is set by the enterprise (the standard gives no figure); a unit test checks it.
 *
 * Sub-clause numbers are not given: only secondary sources (enterprise permit forms and checklists built on
 * the standard) could be read here, and they agree on the figures and the chapter, not always on the
 * sub-clause. Each clause names its chapter or appendix table.
 */

export const STANDARD = 'GB 30871-2022';

export interface Clause {
  /** Where in the standard: chapter / appendix table. */
  section: string;
  /** What it requires, in our words (zh-CN). */
  zh: string;
  en: string;
}

export const CLAUSES = {
  'general.guardian': {
    section: '第4章 基本要求',
    zh: '作业期间应设监护人；监护人经培训合格，不得擅自离开作业现场。',
    en: 'A guardian attends the work throughout and does not leave the site.',
  },
  'general.reissue': {
    section: '第4章 基本要求',
    zh: '作业内容变更、作业范围扩大、作业地点转移或超过安全作业票有效期限时，应重新办理安全作业票。',
    en: 'A new permit is needed when the work, its scope or place changes, or the permit’s validity is exceeded.',
  },
  'general.acceptance': {
    section: '第4章 基本要求；附录A 完工验收栏',
    zh: '作业完毕应恢复安全设施、清理现场，并经验收确认（完工验收）。',
    en: 'When the work is done the site is restored and the work is accepted (完工验收).',
  },
  'hot_work.grading': {
    section: '第5章 动火作业（作业分级）',
    zh: '固定动火区外的动火作业分为特级、一级、二级；遇节假日、公休日、夜间或其他特殊情况，动火作业应升级管理。',
    en: 'Hot work outside fixed areas is special, level 1 or level 2; on holidays, rest days, at night or in special conditions it is managed one level up.',
  },
  'hot_work.analysis': {
    section: '第5章 动火作业（动火分析）',
    zh: '动火前应进行气体分析，取样时间与动火开始时间间隔不应超过30min；每日动火前均应分析。',
    en: 'Gas is analysed before hot work, sampled no more than 30 min before it starts, and every day before work.',
  },
  'hot_work.interruption': {
    section: '第5章 动火作业（动火分析）',
    zh: '特级、一级动火作业中断超过30min，二级动火作业中断超过60min，应重新进行气体分析。',
    en: 'After an interruption longer than 30 min (special, level 1) or 60 min (level 2) the gas is analysed again.',
  },
  'hot_work.continuous': {
    section: '第5章 动火作业（动火分析）',
    zh: '特级动火作业期间应连续进行监测。',
    en: 'Special hot work is monitored continuously.',
  },
  'hot_work.validity': {
    section: '第5章 动火作业（安全作业票有效期）',
    zh: '特级、一级动火安全作业票有效期不应超过8h；二级动火安全作业票有效期不应超过72h。',
    en: 'Special and level-1 hot-work permits are valid at most 8 h; level-2 permits at most 72 h.',
  },
  'confined_space.analysis': {
    section: '第6章 受限空间作业（气体检测）',
    zh: '作业前30min内应对受限空间进行气体检测，合格后方可进入。',
    en: 'The confined space is tested no more than 30 min before entry; entry only when the result is acceptable.',
  },
  'confined_space.interruption': {
    section: '第6章 受限空间作业（气体检测）',
    zh: '受限空间作业中断超过60min，应重新进行气体检测。',
    en: 'After an interruption longer than 60 min the space is tested again.',
  },
  'confined_space.monitoring': {
    section: '第6章 受限空间作业（气体检测）；附录A 表A.2',
    zh: '作业时应使用移动式气体检测仪连续检测，并每2h记录1次。',
    en: 'During entry the gas is monitored continuously with a portable detector and recorded every 2 h.',
  },
  'confined_space.validity': {
    section: '第6章 受限空间作业（安全作业票有效期）',
    zh: '受限空间安全作业票有效期不应超过24h。',
    en: 'A confined-space permit is valid at most 24 h.',
  },
  'work_at_height.validity': {
    section: '第8章 高处作业',
    zh: '高处安全作业票有效期最长为7d。',
    en: 'A work-at-height permit is valid at most 7 days.',
  },
  'temporary_power.validity': {
    section: '第10章 临时用电作业',
    zh: '临时用电时间一般不超过15d，特殊情况不应超过30d；用于动火、受限空间作业的临时用电时间应与相应作业时间一致。',
    en: 'Temporary power is connected for at most 15 days (30 in special cases); for hot work or confined space, no longer than that work.',
  },
  'forms.hot_work': {
    section: '附录A 表A.1 动火安全作业票',
    zh: '动火安全作业票依次载明作业负责人意见、所在单位意见、安全管理部门意见、动火审批人意见、动火前岗位当班班长验票、完工验收。',
    en: 'The hot-work permit carries, in order: work leader, the unit, the safety department, the approver, the shift leader’s check before work, acceptance.',
  },
  'forms.confined_space': {
    section: '附录A 表A.2 受限空间安全作业票',
    zh: '受限空间安全作业票依次载明作业负责人意见、所在单位意见、完工验收。',
    en: 'The confined-space permit carries, in order: work leader, the unit, acceptance.',
  },
  'approval.table_b1': {
    section: '附录B 表B.1 安全作业票的办理、审批',
    zh: '特级动火由主管领导审批；一级动火由安全管理部门审批；二级动火由所在基层单位审批；受限空间作业由所在基层单位审批。',
    en: 'Approvers: special hot work — the responsible executive; level 1 — the safety department; level 2 — the unit; confined space — the unit.',
  },
} as const satisfies Record<string, Clause>;

export type ClauseId = keyof typeof CLAUSES;

/** A rule's source: a clause of the standard, or the enterprise where the standard gives no figure. */
export const SET_BY_ENTERPRISE = 'set_by_enterprise';
export type RuleSource = ClauseId | typeof SET_BY_ENTERPRISE;

export function isClauseId(v: unknown): v is ClauseId {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(CLAUSES, v);
}

/** `GB 30871-2022 第5章 动火作业（安全作业票有效期）`, or `企业自定` — as printed on a permit. */
export function citationOf(source: RuleSource): string {
  return source === SET_BY_ENTERPRISE ? '企业自定（标准未规定）' : `${STANDARD} ${CLAUSES[source].section}`;
}
