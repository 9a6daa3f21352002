/**
 * The risk index's factors (风险指数构成因素): what each one measures, the seed clauses that ask for it, and
 * what an enterprise does to lower it. Fixed vocabulary (code); how much each weighs is rule data (rules.ts).
 * Pure.
 */
import type { SeedCitation } from '../indicators/sources';

export const FACTOR_IDS = [
  // Inherent risk 固有风险
  'declared_grade',
  'dust_type',
  'dust_headcount',
  'size',
  // Live alarms and their handling 监测报警及处置
  'open_alarms',
  'alarm_count',
  'alarm_duration',
  'overdue_disposals',
  // Devices 设备在线
  'device_online_rate',
  // Site management 现场管理
  'cleaning_shortfall',
  'open_rectifications',
  'overdue_cases',
  'expired_permits',
] as const;
export type FactorId = (typeof FACTOR_IDS)[number];

export const FACTOR_GROUPS = ['inherent', 'alarms', 'devices', 'site'] as const;
export type FactorGroup = (typeof FACTOR_GROUPS)[number];

export const FACTOR_GROUP_NAMES: Record<FactorGroup, { zh: string; en: string }> = {
  inherent: { zh: '固有风险', en: 'Inherent risk' },
  alarms: { zh: '监测报警及处置', en: 'Alarms and their handling' },
  devices: { zh: '设备在线', en: 'Devices online' },
  site: { zh: '现场管理', en: 'Site management' },
};

/**
 * How a factor's value (0 … 1, its share of its weight) is read from the inputs:
 * - `scale` — a table in the rules (`scales.declaredGrade`, `scales.dustType`, `scales.size`);
 * - `count` — min(1, count ÷ saturateAt): saturateAt or more counts in full;
 * - `offline_share` — min(1, offline share ÷ saturateAt) of the devices expected to report;
 * - `shortfall` — the share of planned cleaning check-ins not done.
 */
export type FactorReading = 'scale' | 'count' | 'offline_share' | 'shortfall';

export interface FactorDefinition {
  group: FactorGroup;
  zh: string;
  en: string;
  reading: FactorReading;
  /** What the measured figure is (shown beside it). */
  measured: { zh: string; en: string };
  /** What the enterprise can do to lower this factor. */
  howToLower: { zh: string; en: string };
  /** The seed clauses that ask for this factor. */
  sources: SeedCitation[];
}

const s001_4: SeedCitation = {
  seed: '001',
  clause: '二（四）',
  marker: '（四）建立健全工作机制。',
  quote: '根据企业固有风险、监测参数报警及处置、现场管理等情况，动态研判企业综合风险',
};
const s004_2: SeedCitation = {
  seed: '004',
  clause: '二',
  marker: '二、主要功能',
  quote: '根据企业固有安全风险、关键安全数据报警处置、现场管理等情况动态研判企业安全风险',
};
const s001_goal: SeedCitation = {
  seed: '001',
  clause: '一',
  marker: '一、工作目标',
  quote: '涉粉作业30人以上金属粉尘、木粉尘企业',
};
const s001_base: SeedCitation = {
  seed: '001',
  clause: '附件 二（二）1',
  marker: '1.基础信息。',
  quote: '按区域、行业类别、涉粉作业人数、企业规模等多个维度',
};
const s001_spot: SeedCitation = {
  seed: '001',
  clause: '附件 二（二）4',
  marker: '4.在线抽查。',
  quote: '涉粉人数、风险等级、粉尘种类、在线状态、报警情况、预警情况',
};
const s001_use: SeedCitation = {
  seed: '001',
  clause: '二（三）',
  marker: '（三）推动企业全面应用。',
  quote: '发现报警要立即核实相关设备设施是否出现故障，及时处置',
};
const s004_duty: SeedCitation = {
  seed: '004',
  clause: '三 4',
  marker: '三、工作任务',
  quote: '明确报警处置责任人、处置时间，发现报警立即核实相关设备设施情况，采取有效措施整改问题隐患，及时消警',
};
const s001_online: SeedCitation = {
  seed: '001',
  clause: '附件 二（二）5',
  marker: '5.综合分析。',
  quote: '企业在线率及相关情况趋势分析',
};
const s002_29: SeedCitation = {
  seed: '002',
  clause: '第二十九条',
  marker: '第二十九条',
  quote: '日均数据和视频离线率高于5%的企业',
};
const s001_cleaning: SeedCitation = {
  seed: '001',
  clause: '二（三）',
  marker: '（三）推动企业全面应用。',
  quote: '定期清理作业场所和相关设备设施积尘，并在监测预警系统进行打卡记录',
};
const s001_rectify: SeedCitation = {
  seed: '001',
  clause: '二（三）',
  marker: '（三）推动企业全面应用。',
  quote: '采取措施及时整改问题隐患，在规定时间内消警',
};
const s001_overdue: SeedCitation = {
  seed: '001',
  clause: '二（四）',
  marker: '（四）建立健全工作机制。',
  quote: '对超出时限仍未消警的',
};
const s002_30: SeedCitation = {
  seed: '002',
  clause: '第三十条',
  marker: '第三十条',
  quote: '对逾期未及时处置的预警（蓝色预警除外）企业',
};
const s002_permits: SeedCitation = {
  seed: '002',
  clause: '附件2 二（四）',
  marker: '（四）建设特殊作业全过程信息化管理和智能视频监控系统。',
  quote:
    '对动火、受限空间、盲板抽堵、高处、吊装、临时用电、动土、断路等特殊作业的申请、审查、许可、监护、验收等全过程实行信息化管理',
};

export const FACTORS: Record<FactorId, FactorDefinition> = {
  declared_grade: {
    group: 'inherent',
    zh: '固有风险等级',
    en: 'Declared inherent risk grade',
    reading: 'scale',
    measured: { zh: '申报的固有风险等级', en: 'declared grade' },
    howToLower: {
      zh: '固有风险等级由企业申报、监管部门核定；通过工艺和设备改造降低后重新申报。',
      en: 'The grade is declared and verified; lower it by changing processes or equipment, then declare again.',
    },
    sources: [s001_4, s004_2],
  },
  dust_type: {
    group: 'inherent',
    zh: '粉尘种类',
    en: 'Dust type',
    reading: 'scale',
    measured: { zh: '粉尘种类', en: 'dust type' },
    howToLower: {
      zh: '粉尘种类由工艺决定，不能通过日常管理降低；请重点落实除尘系统的防爆措施。',
      en: 'Set by the process, not lowered by daily management: keep the dust system’s explosion protection in order.',
    },
    sources: [s001_goal, s001_spot],
  },
  dust_headcount: {
    group: 'inherent',
    zh: '涉粉作业人数',
    en: 'Headcount in dust work',
    reading: 'count',
    measured: { zh: '人', en: 'people' },
    howToLower: {
      zh: '减少粉尘爆炸危险场所内的作业人数（如自动化、隔离操作）。',
      en: 'Fewer people in dust-explosion areas (automation, remote operation).',
    },
    sources: [s001_goal, s001_base],
  },
  size: {
    group: 'inherent',
    zh: '企业规模',
    en: 'Enterprise size',
    reading: 'scale',
    measured: { zh: '企业规模', en: 'size' },
    howToLower: { zh: '企业规模不能通过日常管理降低。', en: 'Not lowered by daily management.' },
    sources: [s001_base],
  },
  open_alarms: {
    group: 'alarms',
    zh: '当前未消除报警',
    en: 'Alarms open now',
    reading: 'count',
    measured: { zh: '条', en: 'alarms' },
    howToLower: {
      zh: '立即核实报警设备设施，处置到位使数值恢复正常，并填报处置反馈。',
      en: 'Verify the alarming equipment at once, bring the value back to normal and file the disposal.',
    },
    sources: [s001_4, s004_2, s001_use],
  },
  alarm_count: {
    group: 'alarms',
    zh: '统计期内报警次数',
    en: 'Alarms raised in the window',
    reading: 'count',
    measured: { zh: '次', en: 'alarms' },
    howToLower: {
      zh: '查明反复报警的原因（工艺波动、设备故障、阈值设置），从根本上整改。',
      en: 'Find why alarms repeat (process swings, faults, thresholds) and fix the cause.',
    },
    sources: [s001_4, s004_2],
  },
  alarm_duration: {
    group: 'alarms',
    zh: '统计期内报警持续时长',
    en: 'Hours in alarm in the window',
    reading: 'count',
    measured: { zh: '小时', en: 'hours' },
    howToLower: {
      zh: '缩短从报警到恢复正常的时间：明确报警处置责任人和处置时间。',
      en: 'Shorten alarm-to-normal time: name who disposes of alarms and by when.',
    },
    sources: [s001_4, s004_duty],
  },
  overdue_disposals: {
    group: 'alarms',
    zh: '超期未处置报警',
    en: 'Alarm disposals overdue',
    reading: 'count',
    measured: { zh: '条', en: 'alarms' },
    howToLower: {
      zh: '在处置时限内填报报警处置反馈（原因、措施、责任人）。',
      en: 'File each alarm’s disposal (cause, measures, responsible person) within its deadline.',
    },
    sources: [s004_duty, s001_use],
  },
  device_online_rate: {
    group: 'devices',
    zh: '设备在线率',
    en: 'Device online rate',
    reading: 'offline_share',
    measured: { zh: '在线率', en: 'online rate' },
    howToLower: {
      zh: '恢复离线传感器和视频的数据传输；停产检修须先申报停用。',
      en: 'Bring offline sensors and video back; declare a suspension before a shutdown or overhaul.',
    },
    sources: [s001_online, s002_29],
  },
  cleaning_shortfall: {
    group: 'site',
    zh: '粉尘清扫打卡缺失',
    en: 'Missed cleaning check-ins',
    reading: 'shortfall',
    measured: { zh: '完成率', en: 'done' },
    howToLower: {
      zh: '按清扫计划清理积尘并在系统打卡（项目、人员、时间、照片）。',
      en: 'Clean as planned and check in (item, person, time, photo).',
    },
    sources: [s001_cleaning],
  },
  open_rectifications: {
    group: 'site',
    zh: '未完成整改',
    en: 'Rectification orders open',
    reading: 'count',
    measured: { zh: '项', en: 'orders' },
    howToLower: {
      zh: '按责令限期整改指令书完成整改并申请复查。',
      en: 'Complete the ordered rectifications and ask for re-inspection.',
    },
    sources: [s001_rectify, s004_duty],
  },
  overdue_cases: {
    group: 'site',
    zh: '逾期未消警',
    en: 'Overdue warnings and cases',
    reading: 'count',
    measured: { zh: '件', en: 'cases' },
    howToLower: {
      zh: '在规定时限内完成预警核查反馈并消警。',
      en: 'Verify, give feedback and clear warnings within their time limits.',
    },
    sources: [s001_overdue, s002_30],
  },
  expired_permits: {
    group: 'site',
    zh: '过期未关闭特殊作业票',
    en: 'Special-work permits expired unclosed',
    reading: 'count',
    measured: { zh: '张', en: 'permits' },
    howToLower: {
      zh: '作业完毕及时验收关闭作业票；超过有效期须重新办理。',
      en: 'Accept and close permits when work ends; a permit past its validity is issued again.',
    },
    sources: [s002_permits],
  },
};

/** The clauses asking for the model itself: a score per enterprise, its composition shown, weights set by experts. */
export const MODEL_SOURCES: SeedCitation[] = [
  {
    seed: '001',
    clause: '附件 二（一）2',
    marker: '2.风险分级预警模型。',
    quote: '通过内植在系统中的风险评估模型，对企业管控风险的实时状态进行研判，自动计算风险等级',
  },
  {
    seed: '001',
    clause: '附件 二（一）2',
    marker: '2.风险分级预警模型。',
    quote: '对企业风险等级跳级的情况，系统自动产生预警事件推送给企业和部门',
  },
  {
    seed: '001',
    clause: '附件 二（一）2',
    marker: '2.风险分级预警模型。',
    quote: '相关问题处置到位后，企业实时风险即可回归正常范围',
  },
  { seed: '001', clause: '附件 二（三）4', marker: '4.风险预警。', quote: '为企业呈现研判指数构成' },
  {
    seed: '001',
    clause: '二（四）',
    marker: '（四）建立健全工作机制。',
    quote: '按照风险高低将预警信息分为红、橙、黄、蓝四级，分别对应重大风险、较大风险、一般风险、低风险',
  },
  {
    seed: '003',
    clause: '四 三（一）2（2）',
    marker: '（2）煤矿风险分析模型。',
    quote: '动态调整指标权重和指标输入输出项',
  },
  {
    seed: '003',
    clause: '四 三（一）2（3）',
    marker: '（3）煤矿安全风险预警数据展现。',
    quote: '形象展示每个指标项的得分和权重',
  },
  {
    seed: '003',
    clause: '五 一（二）2',
    marker: '五、高危行业（危险化学品）企业风险预警',
    quote: '运用专家分析法，确定各个指标的权重和分值，最终计算出安全生产预警指标得分',
  },
  {
    seed: '004',
    clause: '二',
    marker: '二、主要功能',
    quote: '分为红（重大风险）、橙（较大风险）、黄（一般风险）、蓝（低风险）四级',
  },
];
