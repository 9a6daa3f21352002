/**
 * The industries' indicator catalogues (监测指标目录) as versioned data: what an enterprise of each industry
 * monitors, for it to pick from when it configures a device instead of typing each indicator by hand.
 * Every entry names where it comes from (a seed clause, quoted; or a standard a seed names). Thresholds and
 * measurement ranges are given only where a seed or such a standard gives a figure; everything else is
 * `setBy: 'enterprise'` (the enterprise's own design values, 设计值) — no number here is invented.
 * Pure: no I/O.
 */
import type { Industry } from '../masterData';
import type { SeedCitation, Source, StandardCitation } from './sources';

/** Bumped whenever an entry is added, removed or changes meaning; a device records the version it picked from. */
export const CATALOGUE_VERSION = 1;

/** The industries with a catalogue. Others (fire safety, construction, pipelines …) type their indicators. */
export const CATALOGUE_INDUSTRIES = [
  'dust_explosion',
  'hazardous_chemicals',
  'steel',
  'aluminium_casting',
] as const satisfies readonly Industry[];
export type CatalogueIndustry = (typeof CATALOGUE_INDUSTRIES)[number];

/**
 * The quantity an indicator measures. The same words as master data's indicator kinds (models/masterData.ts
 * INDICATOR_KINDS — domain does not import models; a unit test keeps the two lists in step).
 */
export type IndicatorKind =
  | 'concentration'
  | 'temperature'
  | 'pressure'
  | 'differential_pressure'
  | 'current'
  | 'level'
  | 'flow'
  | 'gas'
  | 'humidity'
  | 'spark'
  | 'other'
  /** A master-data indicator that reports a fault status (what `draftIndicator` makes of a `fault` entry). */
  | 'fault';

/**
 * How a device reports it:
 * - `value` 数值 — a measured number, judged against thresholds (a monitoring alarm 监测报警 when beyond them);
 * - `discrete_alarm` 开关量报警 — an on/off alarm contact (static grounding broken, overfill): on is an alarm;
 * - `fault` 故障 — a status, not a value: the device or interlock says it is faulty. A fault opens an alarm case
 *   of its own kind (the enterprise verifies whether the equipment failed, 001 二（三）), never a threshold breach.
 */
export const SIGNALS = ['value', 'discrete_alarm', 'fault'] as const;
export type Signal = (typeof SIGNALS)[number];

/** A threshold or range the enterprise sets from its own design values: no seed or named standard gives it. */
export interface SetByEnterprise {
  setBy: 'enterprise';
  /** What the enterprise must respect when it sets it (e.g. a bound from a standard that depends on the gas). */
  note?: { zh: string; en: string };
}

/** A threshold a standard gives, as a ceiling the enterprise may set lower (`at_most`). */
export interface GivenThreshold {
  setBy: 'standard';
  value: number;
  bound: 'at_most';
  source: StandardCitation;
}

/** A measurement range fixed by the unit itself (0–100 %LEL, 0–100 % of the tank's height). */
export interface RangeOfUnit {
  setBy: 'unit';
  min: number;
  max: number;
}

export type ThresholdSetting = SetByEnterprise | GivenThreshold;
export type RangeSetting = SetByEnterprise | RangeOfUnit;

/** The alarm thresholds of a `value` indicator (master data's alarmHigh/alarmHighHigh/alarmLow/alarmLowLow). */
export type ThresholdField = 'alarmLow' | 'alarmHigh' | 'alarmLowLow' | 'alarmHighHigh';

export interface CatalogueIndicator {
  /** Stable vocabulary id, `<industry group>.<what>`: what a device's indicator records it was picked as. */
  code: string;
  zh: string;
  en: string;
  signal: Signal;
  kind: IndicatorKind;
  /**
   * The SI unit of the quantity as monitoring systems report it (`value` only): a convention, not a seed figure.
   * Absent on a value indicator: the unit depends on what is measured and the enterprise gives it.
   */
  unit?: string;
  /** Where it is measured (灰斗, 储罐 …), when the name alone does not say. */
  where?: { zh: string; en: string };
  /** Which side breaches: a high value (temperature), a low one (cooling-water flow), or either (`value` only). */
  breaches?: 'high' | 'low' | 'both';
  range?: RangeSetting;
  thresholds?: Partial<Record<ThresholdField, ThresholdSetting>>;
  /** Why it is monitored: the seed clause (or the standard a seed names) that asks for it. */
  source: Source;
}

export interface IndicatorCatalogue {
  industry: CatalogueIndustry;
  zh: string;
  en: string;
  /** The seed clause that brings this industry into the monitoring system. */
  scope: SeedCitation;
  indicators: CatalogueIndicator[];
}

const ENTERPRISE: SetByEnterprise = { setBy: 'enterprise' };

// ——— Seed clauses and the standards they name ———

const SEED_001_SENSING = (quote: string): SeedCitation => ({
  seed: '001',
  clause: '附件 二（一）1',
  marker: '1.动态监测监控数据。',
  quote,
});
const SEED_001_HAZARDS: SeedCitation = {
  seed: '001',
  clause: '二（二）',
  marker: '（二）采集接入监测数据。',
  quote: '完成粉尘涉爆隐患整改，完善粉尘防爆安全相关的监测、监控、报警、防控等设备设施',
};
const SEED_001_GB15577: SeedCitation = {
  seed: '001',
  clause: '二（二）',
  marker: '（二）采集接入监测数据。',
  quote: '《粉尘防爆安全规程》（GB15577-2018）',
};
const SEED_004_ORDER10: SeedCitation = {
  seed: '004',
  clause: '三 2',
  marker: '三、工作任务',
  quote: '《工贸企业重大事故隐患判定标准》（应急管理部令第 10 号）',
};
const SEED_002_LEAK_THRESHOLDS: SeedCitation = {
  seed: '002',
  clause: '附件2 三（二）1）',
  marker: '（二）监测数据接入要求',
  quote: '报警阈值的设置应符合《石油化工可燃气体和有毒气体检测报警设计标准》(GB/T 50493-2019)',
};
const SEED_002_SENSING = (quote: string): SeedCitation => ({
  seed: '002',
  clause: '附件2 三（二）1）',
  marker: '（二）监测数据接入要求',
  quote,
});

const ORDER10 = '工贸企业重大事故隐患判定标准（应急管理部令第10号）';
const ORDER10_READ =
  'third-party reproductions of the order found with the search tool (2026-12-03); the order itself is not in the seeds';

/** Dust: 令第10号, the article on enterprises with dust-explosion hazards (存在粉尘爆炸危险的工贸企业). */
const order10Dust = (item: string, requires: string): StandardCitation => ({
  standard: ORDER10,
  clause: `存在粉尘爆炸危险的工贸企业 ${item}`,
  via: SEED_001_HAZARDS,
  requires,
  read: ORDER10_READ,
});
/** Steel: 令第10号 第四条 (冶金企业). */
const order10Steel = (item: string, requires: string): StandardCitation => ({
  standard: ORDER10,
  clause: `第四条（冶金企业）${item}`,
  via: SEED_004_ORDER10,
  requires,
  read: ORDER10_READ,
});
/** Aluminium deep-well casting: 令第10号 第五条 (有色企业). */
const order10Alu = (item: string, requires: string): StandardCitation => ({
  standard: ORDER10,
  clause: `第五条（有色企业）${item}`,
  via: SEED_004_ORDER10,
  requires,
  read: ORDER10_READ,
});

/** GB/T 50493-2019 5.5.2 (报警值设定), named by seed 002 附件2 三（二）1） for every leak-monitoring point's alarm value. */
const GB50493 = (requires: string): StandardCitation => ({
  standard: 'GB/T 50493-2019',
  clause: '5.5.2（报警值设定）',
  via: SEED_002_LEAK_THRESHOLDS,
  requires,
  read: 'third-party reproductions found with the search tool (2026-12-03) give the alarm-value rule word for word; they do not show its clause number (5.5.2 is unconfirmed)',
});
const LEL_FIRST = GB50493('可燃气体的一级报警设定值应小于或等于25%LEL');
const LEL_SECOND = GB50493('可燃气体的二级报警设定值应小于或等于50%LEL');
const TOXIC_NOTE = {
  zh: '按所测气体的职业接触限值设定：一级报警≤100%OEL，二级报警≤200%OEL（GB/T 50493-2019 5.5.2，002 附件2 三（二）1）所引）。',
  en: "Set from the measured gas's occupational exposure limit: first alarm ≤ 100 % OEL, second ≤ 200 % OEL (GB/T 50493-2019 5.5.2, named by 002 附件2 三（二）1）).",
};

/** A flammable-gas indicator in %LEL: range 0–100 by the unit, alarm values the standard's ceilings. */
function flammableGas(
  code: string,
  zh: string,
  en: string,
  where: { zh: string; en: string },
  source: Source,
): CatalogueIndicator {
  return {
    code,
    zh,
    en,
    signal: 'value',
    kind: 'gas',
    unit: '%LEL',
    where,
    breaches: 'high',
    range: { setBy: 'unit', min: 0, max: 100 },
    thresholds: {
      alarmHigh: { setBy: 'standard', value: 25, bound: 'at_most', source: LEL_FIRST },
      alarmHighHigh: { setBy: 'standard', value: 50, bound: 'at_most', source: LEL_SECOND },
    },
    source,
  };
}

function toxicGas(
  code: string,
  zh: string,
  en: string,
  where: { zh: string; en: string },
  source: Source,
): CatalogueIndicator {
  const byGas: SetByEnterprise = { setBy: 'enterprise', note: TOXIC_NOTE };
  return {
    code,
    zh,
    en,
    signal: 'value',
    kind: 'gas',
    unit: 'mg/m³',
    where,
    breaches: 'high',
    range: ENTERPRISE,
    thresholds: { alarmHigh: byGas, alarmHighHigh: byGas },
    source,
  };
}

/** A measured value whose range and thresholds are the enterprise's design values. */
function measured(
  code: string,
  zh: string,
  en: string,
  kind: IndicatorKind,
  unit: string | undefined,
  breaches: 'high' | 'low' | 'both',
  source: Source,
  where?: { zh: string; en: string },
): CatalogueIndicator {
  const thresholds: Partial<Record<ThresholdField, ThresholdSetting>> = {};
  if (breaches !== 'low') Object.assign(thresholds, { alarmHigh: ENTERPRISE, alarmHighHigh: ENTERPRISE });
  if (breaches !== 'high') Object.assign(thresholds, { alarmLow: ENTERPRISE, alarmLowLow: ENTERPRISE });
  return {
    code,
    zh,
    en,
    signal: 'value',
    kind,
    ...(unit ? { unit } : {}),
    breaches,
    range: ENTERPRISE,
    thresholds,
    source,
    ...(where ? { where } : {}),
  };
}

function status(
  code: string,
  zh: string,
  en: string,
  signal: 'fault' | 'discrete_alarm',
  kind: IndicatorKind,
  source: Source,
  where?: { zh: string; en: string },
): CatalogueIndicator {
  return { code, zh, en, signal, kind, source, ...(where ? { where } : {}) };
}

const DRY_COLLECTOR = { zh: '干式除尘器', en: 'dry dust collector' };
const WET_COLLECTOR = { zh: '湿式除尘器', en: 'wet dust collector' };

const DUST_EXPLOSION: IndicatorCatalogue = {
  industry: 'dust_explosion',
  zh: '粉尘涉爆',
  en: 'Dust-explosion hazard',
  scope: {
    seed: '001',
    clause: '一',
    marker: '一、工作目标',
    quote: '针对粉尘涉爆企业除尘系统安全设备设施等重点部位以及粉尘清理等关键环节',
  },
  indicators: [
    // 001 附件 二（一）1 lists the dust-removal system's sensing data by name; it gives no figures.
    measured(
      'dust.hopper_temperature',
      '灰斗内部温度',
      'Hopper internal temperature',
      'temperature',
      '℃',
      'high',
      SEED_001_SENSING('干式除尘器灰斗内部温度'),
      DRY_COLLECTOR,
    ),
    measured(
      'dust.inlet_outlet_pressure_difference',
      '进出口风压差',
      'Inlet–outlet air pressure difference',
      'differential_pressure',
      'Pa',
      'both',
      SEED_001_SENSING('进出口风压差'),
      DRY_COLLECTOR,
    ),
    status(
      'dust.lock_air_unloading_fault',
      '锁气卸灰故障信号',
      'Lock-air unloading fault signal',
      'fault',
      'other',
      SEED_001_SENSING('锁气卸灰故障信号'),
      DRY_COLLECTOR,
    ),
    measured(
      'dust.wet_tank_water_level',
      '水箱水位',
      'Water-tank level',
      'level',
      'm',
      'low',
      SEED_001_SENSING('湿式除尘器水箱水位'),
      WET_COLLECTOR,
    ),
    measured(
      'dust.circulation_water_flow',
      '水循环管路水流量',
      'Circulation-pipe water flow',
      'flow',
      'm³/h',
      'low',
      SEED_001_SENSING('水循环管路水流量'),
      WET_COLLECTOR,
    ),
    // The dust hazards seed 001 二（二） asks enterprises to rectify are those of 令第10号: ignition sources and explosion control.
    measured(
      'dust.spark_detected',
      '火花探测',
      'Sparks detected',
      'spark',
      '次',
      'high',
      order10Dust(
        '（四）（八）',
        '铝镁等金属粉尘正压除尘、其他可燃性粉尘正压吹送，以及木制品加工砂光机风管，应设置火花探测消除装置',
      ),
      { zh: '除尘风管', en: 'dust-collection duct' },
    ),
    status(
      'dust.spark_extinguishing_fault',
      '火花探测消除装置故障',
      'Spark detection and extinguishing fault',
      'fault',
      'spark',
      order10Dust('（四）（八）', '火花探测消除装置是防范点燃源的措施，须保持有效'),
    ),
    status(
      'dust.explosion_venting_fault',
      '泄爆装置故障或动作',
      'Explosion venting fault or opened',
      'fault',
      'other',
      order10Dust('（三）', '干式除尘系统应采取泄爆、惰化、抑爆等爆炸防控措施'),
    ),
    status(
      'dust.explosion_suppression_fault',
      '抑爆装置故障或动作',
      'Explosion suppression fault or triggered',
      'fault',
      'other',
      order10Dust('（三）', '干式除尘系统应采取泄爆、惰化、抑爆等爆炸防控措施'),
    ),
    status(
      'dust.explosion_isolation_fault',
      '隔爆阀故障或动作',
      'Explosion isolation valve fault or closed',
      'fault',
      'other',
      {
        standard: 'GB 15577-2018',
        clause: '爆炸防控措施（隔爆）',
        via: SEED_001_GB15577,
        requires: '除尘系统与其他设备、车间之间的隔爆措施',
        read: 'not read: the standard is named by seed 001; its clause number is not confirmed',
      },
    ),
  ],
};

const HAZARDOUS_CHEMICALS: IndicatorCatalogue = {
  industry: 'hazardous_chemicals',
  zh: '危险化学品',
  en: 'Hazardous chemicals',
  scope: {
    seed: '002',
    clause: '附件2 二（三）',
    marker: '（三）深化危险化学品安全生产风险监测预警能力',
    quote: '确保温度、压力、液位和气体浓度等参数接入系统',
  },
  indicators: [
    // 附件2 三（二）1）: major-hazard tank farms — pressure, level, temperature.
    measured(
      'chem.tank_pressure',
      '储罐压力',
      'Tank pressure',
      'pressure',
      'MPa',
      'both',
      SEED_002_SENSING('主要接入的数据包括主要包括储罐压力、液位、温度等关键安全参数'),
      { zh: '重大危险源罐区', en: 'major-hazard tank farm' },
    ),
    {
      ...measured(
        'chem.tank_level',
        '储罐液位',
        'Tank level',
        'level',
        '%',
        'both',
        SEED_002_SENSING('主要接入的数据包括主要包括储罐压力、液位、温度等关键安全参数'),
        { zh: '重大危险源罐区', en: 'major-hazard tank farm' },
      ),
      range: { setBy: 'unit', min: 0, max: 100 },
    },
    measured(
      'chem.tank_temperature',
      '储罐温度',
      'Tank temperature',
      'temperature',
      '℃',
      'both',
      SEED_002_SENSING('主要接入的数据包括主要包括储罐压力、液位、温度等关键安全参数'),
      { zh: '重大危险源罐区', en: 'major-hazard tank farm' },
    ),
    // Warehouses of major-hazard chemicals (ammonium nitrate, chlorates, nitrocellulose …).
    flammableGas(
      'chem.warehouse_flammable_gas',
      '仓库可燃气体浓度',
      'Warehouse flammable gas',
      { zh: '重大危险源仓库', en: 'major-hazard warehouse' },
      SEED_002_SENSING('可燃气体报警、有毒气体报警、温度、湿度、视频监控数据'),
    ),
    toxicGas(
      'chem.warehouse_toxic_gas',
      '仓库有毒气体浓度',
      'Warehouse toxic gas',
      { zh: '重大危险源仓库', en: 'major-hazard warehouse' },
      SEED_002_SENSING('可燃气体报警、有毒气体报警、温度、湿度、视频监控数据'),
    ),
    measured(
      'chem.warehouse_temperature',
      '仓库温度',
      'Warehouse temperature',
      'temperature',
      '℃',
      'high',
      SEED_002_SENSING('可燃气体报警、有毒气体报警、温度、湿度、视频监控数据'),
      { zh: '重大危险源仓库', en: 'major-hazard warehouse' },
    ),
    {
      ...measured(
        'chem.warehouse_humidity',
        '仓库湿度',
        'Warehouse humidity',
        'humidity',
        '%RH',
        'both',
        SEED_002_SENSING('可燃气体报警、有毒气体报警、温度、湿度、视频监控数据'),
        { zh: '重大危险源仓库', en: 'major-hazard warehouse' },
      ),
      range: { setBy: 'unit', min: 0, max: 100 },
    },
    // The 18 nationally supervised hazardous processes: each process's key parameters are the enterprise's own (the seed names none).
    measured(
      'chem.process_key_parameter',
      '重点监管危险化工工艺关键参数',
      'Key parameter of a supervised hazardous process',
      'other',
      undefined,
      'both',
      SEED_002_SENSING('关键安全参数实时监控数据、报警数据、装置预警状态数据、安全仪表状态数据'),
    ),
    status(
      'chem.process_unit_warning',
      '装置预警状态',
      'Process unit warning state',
      'discrete_alarm',
      'other',
      SEED_002_SENSING('关键安全参数实时监控数据、报警数据、装置预警状态数据、安全仪表状态数据'),
    ),
    status(
      'chem.safety_instrumented_system_fault',
      '安全仪表系统状态（故障/旁路）',
      'Safety instrumented system fault or bypass',
      'fault',
      'other',
      SEED_002_SENSING('关键安全参数实时监控数据、报警数据、装置预警状态数据、安全仪表状态数据'),
    ),
    // Plant leak monitoring points: the seed names GB/T 50493-2019 for their alarm values.
    flammableGas(
      'chem.plant_flammable_gas',
      '厂区可燃气体浓度',
      'Plant flammable gas',
      { zh: '厂区泄漏监测点', en: 'plant leak-monitoring point' },
      SEED_002_LEAK_THRESHOLDS,
    ),
    toxicGas(
      'chem.plant_toxic_gas',
      '厂区有毒气体浓度',
      'Plant toxic gas',
      { zh: '厂区泄漏监测点', en: 'plant leak-monitoring point' },
      SEED_002_LEAK_THRESHOLDS,
    ),
    // Loading and unloading areas.
    flammableGas(
      'chem.loading_flammable_gas',
      '装卸区可燃气体浓度',
      'Loading-area flammable gas',
      { zh: '危险化学品装卸区', en: 'loading area' },
      SEED_002_SENSING('可燃有毒有害气体泄漏监测数据'),
    ),
    toxicGas(
      'chem.loading_toxic_gas',
      '装卸区有毒气体浓度',
      'Loading-area toxic gas',
      { zh: '危险化学品装卸区', en: 'loading area' },
      SEED_002_SENSING('可燃有毒有害气体泄漏监测数据'),
    ),
    status(
      'chem.loading_static_grounding_broken',
      '车辆静电接地断开报警',
      'Vehicle static grounding broken',
      'discrete_alarm',
      'other',
      SEED_002_SENSING('液化烃装卸区车辆静电接地断开报警数据和溢油报警数据'),
      { zh: '液化烃装卸区', en: 'liquefied-hydrocarbon loading area' },
    ),
    status(
      'chem.loading_overfill',
      '溢油报警',
      'Overfill alarm',
      'discrete_alarm',
      'level',
      SEED_002_SENSING('液化烃装卸区车辆静电接地断开报警数据和溢油报警数据'),
      { zh: '液化烃装卸区', en: 'liquefied-hydrocarbon loading area' },
    ),
  ],
};

const STEEL: IndicatorCatalogue = {
  industry: 'steel',
  zh: '钢铁',
  en: 'Steel',
  scope: { seed: '004', clause: '一', marker: '一、工作目标', quote: '针对钢铁企业涉高温熔融金属、冶金煤气' },
  indicators: [
    measured(
      'steel.cooling_outlet_temperature',
      '炼钢炉水冷元件出水温度',
      'Steelmaking furnace cooling-element outlet temperature',
      'temperature',
      '℃',
      'high',
      order10Steel(
        '（四）',
        '转炉、电弧炉、AOD炉、LF炉、RH炉、VOD炉等炼钢炉的水冷元件应设置出水温度、进出水流量差等监测报警装置',
      ),
    ),
    measured(
      'steel.cooling_flow_difference',
      '炼钢炉水冷元件进出水流量差',
      'Steelmaking furnace cooling-element inlet–outlet flow difference',
      'flow',
      'm³/h',
      'high',
      order10Steel(
        '（四）',
        '转炉、电弧炉、AOD炉、LF炉、RH炉、VOD炉等炼钢炉的水冷元件应设置出水温度、进出水流量差等监测报警装置',
      ),
    ),
    status(
      'steel.cooling_interlock_fault',
      '水冷监测报警联锁故障',
      'Cooling alarm interlock fault',
      'fault',
      'other',
      order10Steel('（四）', '水冷元件监测报警装置应与炉体倾动、氧（副）枪自动提升、电极自动断电和升起装置联锁'),
    ),
    measured(
      'steel.gas_co_concentration',
      '煤气区域一氧化碳浓度',
      'Carbon monoxide in gas areas',
      'concentration',
      'mg/m³',
      'high',
      order10Steel(
        '（煤气区域）',
        '可能发生煤气泄漏、积聚的场所和部位应设置固定式一氧化碳浓度监测报警装置，监测数据接入24小时有人值守场所',
      ),
      { zh: '煤气生产、回收、储存、使用设施附近', en: 'near gas production, recovery, storage and use' },
    ),
  ],
};

const MOULD_COOLING = { zh: '深井铸造结晶器冷却水系统', en: 'deep-well casting mould cooling water' };
const LAUNDER = {
  zh: '浇铸炉铝液出口流槽、流槽与模盘（分配流槽）入口连接处',
  en: 'furnace outlet launder and launder–distributor junction',
};

const ALUMINIUM_CASTING: IndicatorCatalogue = {
  industry: 'aluminium_casting',
  zh: '铝加工（深井铸造）',
  en: 'Aluminium deep-well casting',
  scope: {
    seed: '004',
    clause: '一',
    marker: '一、工作目标',
    quote: '铝加工（深井铸造）企业浇铸炉、铸造井等风险较高的设备设施和场所部位',
  },
  indicators: [
    measured(
      'alu.mould_cooling_inlet_pressure',
      '结晶器冷却水进水压力',
      'Mould cooling-water inlet pressure',
      'pressure',
      'MPa',
      'low',
      order10Alu('（结晶器冷却水系统）', '结晶器冷却水系统应设置进水压力、进水流量监测报警装置'),
      MOULD_COOLING,
    ),
    measured(
      'alu.mould_cooling_inlet_flow',
      '结晶器冷却水进水流量',
      'Mould cooling-water inlet flow',
      'flow',
      'm³/h',
      'low',
      order10Alu('（结晶器冷却水系统）', '结晶器冷却水系统应设置进水压力、进水流量监测报警装置'),
      MOULD_COOLING,
    ),
    measured(
      'alu.furnace_cooling_outlet_temperature',
      '熔炼炉水冷元件出水温度',
      'Melting furnace cooling-element outlet temperature',
      'temperature',
      '℃',
      'high',
      order10Alu('（水冷元件）', '熔融金属冶炼炉窑的闭路循环水冷元件应设置出水温度、进出水流量差监测报警装置'),
    ),
    measured(
      'alu.launder_metal_level',
      '流槽铝液液位',
      'Launder molten-metal level',
      'level',
      'mm',
      'both',
      order10Alu('（流槽液位）', '浇铸炉铝液出口流槽、流槽与模盘（分配流槽）入口连接处应设置液位监测报警装置'),
      LAUNDER,
    ),
    status(
      'alu.cooling_interlock_fault',
      '冷却水监测报警联锁故障（快速切断阀、紧急排放阀、流槽断开装置）',
      'Cooling alarm interlock fault (quick shut-off, emergency drain, launder disconnect)',
      'fault',
      'other',
      order10Alu('（结晶器冷却水系统）', '监测报警装置应与快速切断阀、紧急排放阀、流槽断开装置联锁'),
      MOULD_COOLING,
    ),
    status(
      'alu.tilting_furnace_interlock_fault',
      '倾动式浇铸炉联锁故障',
      'Tilting casting furnace interlock fault',
      'fault',
      'other',
      order10Alu('（倾动式浇铸炉）', '冷却水与流槽液位监测报警装置应与倾动式浇铸炉控制系统联锁'),
    ),
    status(
      'alu.quick_shutoff_valve_fault',
      '快速切断阀（断开装置）故障',
      'Quick shut-off valve (disconnect) fault',
      'fault',
      'other',
      order10Alu(
        '（流槽液位）',
        '流槽与模盘（分配流槽）入口连接处的液位监测报警装置应与快速切断阀（断开装置）、紧急排放阀联锁',
      ),
      LAUNDER,
    ),
  ],
};

export const INDICATOR_CATALOGUES: Record<CatalogueIndustry, IndicatorCatalogue> = {
  dust_explosion: DUST_EXPLOSION,
  hazardous_chemicals: HAZARDOUS_CHEMICALS,
  steel: STEEL,
  aluminium_casting: ALUMINIUM_CASTING,
};

/**
 * The reporting interval every catalogue indicator is kept to: at least every 5 minutes, every 10 s while in
 * alarm (002 附件2 三（二）3）). Master data already refuses a longer interval for every industry.
 */
export const REPORTING_INTERVAL = {
  normalSec: 300,
  inAlarmSec: 10,
  source: {
    seed: '002',
    clause: '附件2 三（二）3）',
    marker: '（二）监测数据接入要求',
    quote: '各关键安全参数实时监测数据的接入频率不少于每5分钟1次',
  } satisfies SeedCitation,
};
